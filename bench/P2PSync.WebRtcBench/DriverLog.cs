using System.Globalization;

namespace P2PSync.WebRtcBench;

/// <summary>
/// The driver's diagnostic log on stderr (bench.mjs keeps it per driver in the work folder), each
/// line stamped with the milliseconds since the driver started, so a slow or failed connection can
/// be read step by step afterwards.
/// </summary>
internal sealed class DriverLog(TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();
    private readonly object _gate = new();

    public void Write(string message)
    {
        var elapsed = time.GetElapsedTime(_start).TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            Console.Error.WriteLine($"[+{elapsed} ms] {message}");
        }
    }
}
