"""Slack adapter: turns Slack payloads into questions for the knowledge core and renders answers.

`app.build_app` wires the Bolt app; `server.serve` runs it in Socket Mode or as an HTTP endpoint.
"""
