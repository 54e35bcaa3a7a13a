using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Handoff;

/// <summary>
/// Publishes this device's own awareness state (see <see cref="DevicePresence"/>) for every
/// document of its current activity through an <see cref="AwarenessHub"/>, and withdraws it from
/// documents that left the activity. An activity handed off to another device is no longer
/// where the person is, so it publishes nothing. The host calls <see cref="Publish"/> with the
/// current activity at start and on every <c>ActivityStore.Changed</c>.
/// </summary>
internal sealed class DevicePresencePublisher
{
    private readonly AwarenessHub _hub;
    private readonly DeviceId _self;
    private readonly string _deviceName;
    private readonly ulong _clientId;
    private readonly Lock _gate = new();
    private HashSet<string> _published = new(StringComparer.Ordinal);

    public DevicePresencePublisher(AwarenessHub hub, DeviceId self, string deviceName)
    {
        _hub = hub ?? throw new ArgumentNullException(nameof(hub));
        _self = self;
        _deviceName = deviceName ?? "";
        _clientId = DevicePresence.ClientIdOf(self);
    }

    /// <summary>The awareness client id this device's states use.</summary>
    public ulong ClientId => _clientId;

    public void Publish(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var documents = activity.HandedOffTo is null ? activity.Documents : [];
        // Serialised so two quick activity changes cannot interleave their set/withdraw steps.
        lock (_gate)
        {
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var document in documents)
            {
                if (wanted.Add(document.DocId))
                {
                    _hub.SetOwnState(document.DocId, _clientId, DevicePresence.StateJson(_self, _deviceName, document));
                }
            }

            foreach (var gone in _published.Where(d => !wanted.Contains(d)))
            {
                _hub.SetOwnState(gone, _clientId, null);
            }

            _published = wanted;
        }
    }
}
