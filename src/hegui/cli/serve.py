"""hegui serve: the HTTP API and the web questionnaire."""
