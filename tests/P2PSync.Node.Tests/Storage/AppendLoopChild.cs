using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

/// <summary>
/// The body of the child process in <see cref="CrashDurabilityTests"/>: appends numbered edits
/// to one document forever, printing "ack TOKEN SEQ" only after AppendUpdate(s) returned, and
/// compacts every few appends so a kill can also land inside a compaction.
/// </summary>
internal static class AppendLoopChild
{
    public const string EnvironmentVariable = "P2PSYNC_TEST_APPEND_LOOP";

    /// <summary>Arguments: "STORE_PATH|DOC_ID|CLIENT_ID|RUN".</summary>
    public static int Run(string arguments)
    {
        var parts = arguments.Split('|');
        using var store = NodeStore.Open(parts[0]);
        var docId = parts[1];
        var edits = new TextUpdates(ulong.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        var run = parts[3];
        var output = Console.Out;
        output.WriteLine("ready");
        output.Flush();
        for (var i = 0; ; i++)
        {
            if (i % 7 == 6)
            {
                // A batch: both tokens are acknowledged by one commit.
                var first = $"<{run}.{i}a>";
                var second = $"<{run}.{i}b>";
                var seq = store.Documents.AppendUpdates(docId, [edits.Append(first), edits.Append(second)], "crash-test");
                output.WriteLine($"ack {first} {seq - 1}");
                output.WriteLine($"ack {second} {seq}");
            }
            else
            {
                var token = $"<{run}.{i}>";
                var seq = store.Documents.AppendUpdate(docId, edits.Append(token), "crash-test");
                output.WriteLine($"ack {token} {seq}");
            }

            output.Flush();
            if (i % 25 == 24)
            {
                store.Documents.Compact(docId);
            }
        }
    }
}
