"""Microsoft Teams adapter (Teams SDK for Python, `microsoft-teams-apps`).

`server` runs the HTTP endpoint, `handlers` turns activities into core calls, `cards` renders
Adaptive Cards and citation entities, `services` wires the optional parts (feedback store,
learning summaries, health report). The core in `knowledge/` never imports this package.
"""
