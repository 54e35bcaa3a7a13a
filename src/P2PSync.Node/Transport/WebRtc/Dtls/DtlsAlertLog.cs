namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// What alerts went by, as BouncyCastle reports them through its peer callbacks. Needed because
/// <c>DtlsTransport.Receive</c> returns -1 both on an idle timeout and after the peer's close_notify:
/// only this log tells the two apart. Written on BC's threads, read on ours.
/// </summary>
internal sealed class DtlsAlertLog
{
    private const byte CloseNotify = 0;
    private const byte FatalLevel = 2;

    private volatile bool _closeNotifyReceived;
    private int _fatalReceived = -1;
    private int _fatalRaised = -1;

    /// <summary>The peer sent close_notify: an orderly end.</summary>
    public bool CloseNotifyReceived => _closeNotifyReceived;

    /// <summary>The description of a fatal alert the peer sent, if one came.</summary>
    public byte? FatalReceived => Volatile.Read(ref _fatalReceived) is var d and >= 0 ? (byte)d : null;

    /// <summary>The description of a fatal alert we sent, if we did.</summary>
    public byte? FatalRaised => Volatile.Read(ref _fatalRaised) is var d and >= 0 ? (byte)d : null;

    public void OnReceived(byte level, byte description)
    {
        if (description == CloseNotify)
        {
            _closeNotifyReceived = true;
        }
        else if (level == FatalLevel)
        {
            Interlocked.CompareExchange(ref _fatalReceived, description, -1);
        }
    }

    public void OnRaised(byte level, byte description)
    {
        if (level == FatalLevel)
        {
            Interlocked.CompareExchange(ref _fatalRaised, description, -1);
        }
    }
}
