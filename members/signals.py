"""What other apps follow of membership without members importing them (the layering of
docs/architecture.md): ``standing_changed`` is sent, inside the transaction, when an
institution joins the group (admitted, or added by the Secretariat), is suspended, expelled,
withdrawn or reinstated. ``meetings`` invites a newly active institution to the plenaries
already convened, and withdraws a suspended one's invitations; and ``representative_added``
when someone starts to represent an active institution, whom ``meetings`` sends the convening
notices of the meetings it is invited to."""

from django.dispatch import Signal

#: Sent with ``institution`` (its ``standing`` is the new one).
standing_changed = Signal()

#: Sent with ``representative`` when a person starts to represent an active institution:
#: they are sent the convening notices of the meetings it is invited to.
representative_added = Signal()
