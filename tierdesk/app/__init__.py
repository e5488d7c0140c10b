"""The open plan and what a planner does with it, without Qt: the workspace that owns an open plan (its file
facts, previous period and undo history, returning a typed Change from every operation), and the use cases
the window and the command line share (open, save, export, compare, progress, classify).

Layers: tierdesk.qt and the command line call tierdesk.app, which calls tierdesk.io and tierdesk.domain.
"""
