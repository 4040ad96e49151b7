"""Every state change and every permission-crossing read of the project package.

Views, tasks, management commands and tests all call these functions; none of them mutates
models directly. Functions are keyword-only, atomic, audit-logged, and queue mail after commit.
"""
