using System.CommandLine;
using P2PSync.Node.Cli.Client;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync doc share-webrtc ID --room NAME [--password P] [--stop]</c>: the running node joins
/// (or leaves) a y-webrtc room through its relay's /signal, so browsers running unmodified
/// y-webrtc + yjs with the same room name (and password) edit the document with it.
/// </summary>
internal static class DocShareWebRtcCommand
{
    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var id = new Argument<string>("id") { Description = "Document id." };
        var room = new Option<string>("--room") { Description = "The y-webrtc room name (WebrtcProvider's first argument).", Required = true };
        var password = new Option<string?>("--password") { Description = "The room password (WebrtcProvider's password option); seals the signalling." };
        var stop = new Option<bool>("--stop") { Description = "Leave the room instead of joining it." };
        var command = new Command("share-webrtc", "Share a document into a y-webrtc room through the relay (needs a running node with a relay).") { id, room, password, stop };
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, ct) =>
            {
                var data = DataDirectory.Resolve(parseResult.GetValue(dataOption), environment);
                using var client = await WebRtcShareClient.ConnectAsync(data, ct).ConfigureAwait(false);
                var docId = parseResult.GetRequiredValue(id);
                var roomName = parseResult.GetRequiredValue(room);
                if (parseResult.GetValue(stop))
                {
                    await client.UnshareAsync(docId, roomName, ct).ConfigureAwait(false);
                    await output.WriteLineAsync($"left y-webrtc room '{roomName}'").ConfigureAwait(false);
                    return ExitCodes.Ok;
                }

                var share = await client.ShareAsync(docId, roomName, parseResult.GetValue(password), ct).ConfigureAwait(false);
                await output.WriteLineAsync(
                    $"document {share.DocId} is in y-webrtc room '{share.Room}' as peer {share.PeerId} ({(share.Encrypted ? "signalling sealed with the password" : "open room")}); it stays while the node runs").ConfigureAwait(false);
                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }
}
