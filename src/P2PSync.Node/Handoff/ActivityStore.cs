using System.Text.Json;

namespace P2PSync.Node.Handoff;

/// <summary>
/// This device's current <see cref="Activity"/>. Thread-safe: the local API sets it, the
/// handoff engine replaces it and marks it handed off. Every change gets the next version, so
/// peers that hear of two versions keep the newer; <see cref="Changed"/> runs after the lock is
/// released (a handler may read <see cref="Current"/> or call back in).
/// </summary>
internal sealed class ActivityStore
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Activity _current = Activity.Empty;

    public ActivityStore(TimeProvider time)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Raised after every change with the new activity.</summary>
    public event Action<Activity>? Changed;

    public Activity Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>
    /// The app opened, moved or closed something: the new documents and state, next version.
    /// A device working again is no longer "handed off"; where it was resumed from stays.
    /// </summary>
    /// <exception cref="ActivityFormatException">The documents or state break a rule or limit; nothing changed.</exception>
    public Activity Set(IReadOnlyList<ActivityDocument> documents, JsonElement? state)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return Change(current => current with
        {
            Documents = documents.ToArray(),
            State = state,
            HandedOffTo = null,
        });
    }

    /// <summary>
    /// A handoff brought <paramref name="resumed"/> here from <paramref name="fromDevice"/>: its
    /// documents and state become ours, with a version above both ours and the sender's so every
    /// peer's older summary of either is superseded.
    /// </summary>
    /// <exception cref="ActivityFormatException">The activity breaks a rule or limit; nothing changed.</exception>
    public Activity Replace(Activity resumed, string fromDevice)
    {
        ArgumentNullException.ThrowIfNull(resumed);
        ArgumentException.ThrowIfNullOrEmpty(fromDevice);
        return Change(current => current with
        {
            Version = Math.Max(current.Version, resumed.Version),
            Documents = resumed.Documents.ToArray(),
            State = resumed.State,
            HandedOffTo = null,
            ResumedFrom = fromDevice,
        });
    }

    /// <summary>Another device took our activity over: it stays as it was, marked with where it went.</summary>
    /// <param name="toDevice">The device that resumed it.</param>
    /// <param name="ofVersion">The version that was sent: if the activity changed since, the newer one was not handed off and stays unmarked.</param>
    public void MarkHandedOff(string toDevice, long? ofVersion = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(toDevice);
        Change(current => ofVersion is { } sent && current.Version != sent ? null : current with { HandedOffTo = toDevice });
    }

    /// <param name="change">The new activity from the current one, or null to leave it as it is.</param>
    private Activity Change(Func<Activity, Activity?> change)
    {
        Activity next;
        lock (_gate)
        {
            if (change(_current) is not { } candidate)
            {
                return _current;
            }

            next = candidate with
            {
                Version = candidate.Version + 1,
                // Never backwards, even if the clock is: UpdatedMs orders versions for people reading them.
                UpdatedMs = Math.Max(_current.UpdatedMs, _time.GetUtcNow().ToUnixTimeMilliseconds()),
            };
            // Serialize checks every rule and the size of the whole, which must fit a HandoffBegin.
            ActivityJson.Serialize(next);
            _current = next;
        }

        Changed?.Invoke(next);
        return next;
    }
}
