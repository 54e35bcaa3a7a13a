using System.CommandLine;

namespace P2PSync.Node.Cli;

/// <summary><c>p2psync crdt ...</c>: offline tools over Yjs updates and editing traces.</summary>
internal static class CrdtCommand
{
    public static Command Create()
    {
        var command = new Command("crdt", "Offline tools for Yjs-compatible updates and editing traces.");
        command.Add(CrdtReplayCommand.Create());
        command.Add(CrdtMergeCommand.Create());
        command.Add(CrdtShowCommand.Create());
        return command;
    }
}
