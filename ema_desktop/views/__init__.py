"""Panes, dialogs and the main window: they show models and forward the operator's actions."""
