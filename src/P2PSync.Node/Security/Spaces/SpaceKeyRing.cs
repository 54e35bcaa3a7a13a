namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// The content keys of one space that this device holds, by epoch. New content is sealed with the
/// <see cref="Current"/> (highest) epoch; older epochs stay to open what was sealed before a
/// rotation. The ring keeps its own copies of the keys it is given and wipes them on Dispose.
/// Thread-safe: sync sessions open envelopes while the host adds keys.
/// </summary>
internal sealed class SpaceKeyRing : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<ulong, SpaceKey> _keys = [];
    private SpaceKey? _current;
    private bool _disposed;

    /// <summary>How many epochs the ring holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _keys.Count;
            }
        }
    }

    /// <summary>The held epochs, lowest first.</summary>
    public IReadOnlyList<ulong> Epochs
    {
        get
        {
            lock (_lock)
            {
                return [.. _keys.Keys];
            }
        }
    }

    /// <summary>The key of the highest epoch held.</summary>
    /// <exception cref="InvalidOperationException">The ring is empty.</exception>
    public SpaceKey Current
    {
        get
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _current ?? throw new InvalidOperationException("The space key ring holds no key yet.");
            }
        }
    }

    /// <summary>
    /// Adds a copy of <paramref name="key"/>. Returns false when the ring already holds this exact
    /// key (keys arrive again through sync; that is not an error).
    /// </summary>
    /// <exception cref="SpaceKeyException">The ring holds a different key for the same epoch.</exception>
    public bool Add(SpaceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_keys.TryGetValue(key.Epoch, out var held))
            {
                if (held.SameAs(key))
                {
                    return false;
                }

                // Two keys for one epoch would split the space silently: half the members could not read the other half.
                throw new SpaceKeyException(SpaceKeyProblem.ConflictingEpoch, $"A different key for epoch {key.Epoch} is already held.");
            }

            var copy = key.Copy();
            _keys.Add(key.Epoch, copy);
            if (_current is null || copy.Epoch > _current.Epoch)
            {
                _current = copy;
            }

            return true;
        }
    }

    /// <summary>The ring's key for <paramref name="epoch"/>, if held (owned by the ring: do not dispose).</summary>
    public bool TryGet(ulong epoch, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SpaceKey? key)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _keys.TryGetValue(epoch, out key);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var key in _keys.Values)
            {
                key.Dispose();
            }

            _keys.Clear();
            _current = null;
        }
    }
}
