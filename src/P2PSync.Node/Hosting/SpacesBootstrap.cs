using Microsoft.Extensions.Logging;
using P2PSync.Node.Storage;

namespace P2PSync.Node.Hosting;

/// <summary>
/// Brings a store up to the spaces model when the node starts (schema 4): the personal space
/// exists and follows the trusted devices, every document without a space moves into it, and
/// every document whose content no record carries (written before records existed) gets one
/// record signed by this device, so peers can be served all of it.
/// </summary>
internal static class SpacesBootstrap
{
    public static void Run(NodeSpaces spaces, PeerBook peers, DocumentRepository store, DocumentHub documents, ILogger logger)
    {
        var personal = spaces.EnsurePersonal(NodeHost.TrustedDevices(peers));
        var moved = store.AssignSpaceWhereMissing(personal.Id.Bytes.ToArray());
        if (moved > 0)
        {
            logger.LogInformation("moved {Count} document(s) from before spaces into the personal space {Space}", moved, personal.Id);
        }

        var counts = store.RecordCounts();
        var signed = 0;
        foreach (var document in documents.List())
        {
            if (counts.GetValueOrDefault(document.Id) == 0 && documents.SignExistingContent(document.Id))
            {
                signed++;
            }
        }

        if (signed > 0)
        {
            logger.LogInformation("signed the existing content of {Count} document(s) as this device's records", signed);
        }
    }
}
