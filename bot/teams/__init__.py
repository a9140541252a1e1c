"""Microsoft Teams adapter (Teams SDK for Python, `microsoft-teams-apps`).

`server` runs the HTTP endpoint, `handlers` turns activities into one call on the core's
`knowledge.assistant.Assistant`, `cards` renders its replies as Adaptive Cards with citation
entities. The core in `knowledge/` never imports this package.
"""
