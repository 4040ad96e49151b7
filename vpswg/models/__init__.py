from vpswg.models.audit import AuditEntry
from vpswg.models.notifications import Notification
from vpswg.models.roles import RoleAssignment
from vpswg.models.search import SearchEntry
from vpswg.models.tenancy import WorkingGroup
from vpswg.models.users import User

__all__ = ["AuditEntry", "Notification", "RoleAssignment", "SearchEntry", "User", "WorkingGroup"]
