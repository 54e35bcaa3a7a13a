using P2PSync.Interop.Tests.Oracle;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Saves what real peers produced (SDP texts, a STUN request) as golden files for the codec tests,
/// but only when asked: <c>P2PSYNC_WEBRTC_CAPTURE=1</c> writes into
/// tests/P2PSync.Node.Tests/Transport/WebRtc/Resources/ (the committed goldens came from such a run).
/// A normal run never writes into the source tree.
/// </summary>
internal static class ResourceCapture
{
    public const string SwitchVariable = "P2PSYNC_WEBRTC_CAPTURE";

    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "P2PSync.Node.Tests", "Transport", "WebRtc", "Resources");

    public static bool Enabled => Environment.GetEnvironmentVariable(SwitchVariable) == "1";

    public static void SaveText(string name, string text)
    {
        if (Enabled)
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllText(Path.Combine(Folder, name), text);
        }
    }

    public static void SaveBytes(string name, byte[] bytes)
    {
        if (Enabled)
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllBytes(Path.Combine(Folder, name), bytes);
        }
    }
}
