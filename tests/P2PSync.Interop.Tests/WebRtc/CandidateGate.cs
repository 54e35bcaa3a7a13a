namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Holds trickled candidate lines until the receiver can take them (a real peer refuses a candidate
/// before it has a remote description), then hands on the held ones in order and later ones at once.
/// </summary>
internal sealed class CandidateGate(Action<string> deliver)
{
    private readonly Lock _gate = new();
    private readonly List<string> _held = [];
    private bool _open;

    public void Offer(string line)
    {
        lock (_gate)
        {
            if (!_open)
            {
                _held.Add(line);
                return;
            }
        }

        deliver(line);
    }

    public void Open()
    {
        string[] held;
        lock (_gate)
        {
            _open = true;
            held = [.. _held];
            _held.Clear();
        }

        foreach (var line in held)
        {
            deliver(line);
        }
    }
}
