"""The Qt front end: models over the domain, views that draw, commands that call the domain."""
