"""The application layer: one module per command, each with the one function its front end calls.

A function here takes plain values (paths, flags, callbacks to ask or to show), does the
command's work through the library, and gives back the lines to show, in order, as they come;
failures are ``readiness.errors`` raised. Nothing here imports click: ``readiness.cli`` parses
the options and prints.
"""
