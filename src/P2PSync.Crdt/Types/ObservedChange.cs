namespace P2PSync.Crdt.Types;

/// <summary>
/// A type whose observers were called for the current transaction, and its event; the event is null when nobody was listening, because creating one per
/// keystroke for nobody costs more than the keystroke itself.
/// </summary>
internal struct ObservedChange
{
    public ObservedChange(AbstractType type, YEvent? yEvent)
    {
        Type = type;
        Event = yEvent;
    }

    public AbstractType Type;

    public YEvent? Event;
}
