"""The planning method in pure Python + pandas: accounts, playbook, classification, coverage, plans."""
