"""What other apps follow of membership without members importing them (the layering of
docs/architecture.md): ``standing_changed`` is sent, inside the transaction, when an
institution joins the group (admitted, or added by the Secretariat), is suspended, expelled,
withdrawn or reinstated. ``meetings`` invites a newly active institution to the plenaries
already convened, and withdraws a suspended one's invitations."""

from django.dispatch import Signal

#: Sent with ``institution`` (its ``standing`` is the new one).
standing_changed = Signal()
