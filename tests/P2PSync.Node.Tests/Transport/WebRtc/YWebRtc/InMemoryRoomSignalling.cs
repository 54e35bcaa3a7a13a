using System.Text.Json;
using System.Threading.Channels;
using P2PSync.Node.Transport.WebRtc.Signalling;
using P2PSync.Node.Transport.WebRtc.YWebRtc;

namespace P2PSync.Node.Tests.Transport.WebRtc.YWebRtc;

/// <summary>
/// A relay's /signal in memory: every publish reaches every member subscribed to the topic, the
/// publisher included (as our relay does). Tests also publish raw payloads into it and read what
/// the members published.
/// </summary>
internal sealed class InMemorySignalHub
{
    private readonly List<Member> _members = [];
    private readonly List<SignalMessage> _published = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<SignalMessage> Published
    {
        get
        {
            lock (_gate)
            {
                return [.. _published];
            }
        }
    }

    public IRoomSignalling Join() => new Member(this);

    public void Publish(string topic, JsonElement data)
    {
        Member[] receivers;
        lock (_gate)
        {
            _published.Add(new SignalMessage(topic, data.Clone(), null));
            receivers = [.. _members.Where(m => m.Topics.Contains(topic))];
        }

        foreach (var member in receivers)
        {
            member.Deliver(new SignalMessage(topic, data.Clone(), receivers.Length));
        }
    }

    private sealed class Member : IRoomSignalling
    {
        private readonly InMemorySignalHub _hub;
        private readonly Channel<SignalMessage> _incoming = Channel.CreateUnbounded<SignalMessage>();

        public Member(InMemorySignalHub hub)
        {
            _hub = hub;
            lock (hub._gate)
            {
                hub._members.Add(this);
            }
        }

        // Always connected: the room announces as soon as it starts.
        public event Action? Connected
        {
            add { }
            remove { }
        }

        public HashSet<string> Topics { get; } = new(StringComparer.Ordinal);

        public bool IsConnected => true;

        public ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken)
        {
            lock (_hub._gate)
            {
                Topics.Add(topic);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask PublishAsync(string topic, JsonElement data, CancellationToken cancellationToken)
        {
            _hub.Publish(topic, data);
            return ValueTask.CompletedTask;
        }

        public IAsyncEnumerable<SignalMessage> ReadAllAsync(CancellationToken cancellationToken) => _incoming.Reader.ReadAllAsync(cancellationToken);

        public void Deliver(SignalMessage message) => _incoming.Writer.TryWrite(message);

        public ValueTask DisposeAsync()
        {
            lock (_hub._gate)
            {
                _hub._members.Remove(this);
            }

            _incoming.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
