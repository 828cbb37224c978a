"""The pages: rendering through Jinja templates, pictures, the page pipeline, badges."""
