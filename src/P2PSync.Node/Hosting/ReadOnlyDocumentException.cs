using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Hosting;

/// <summary>This device may not change the document: it is a viewer of (or no longer a member of) its space.</summary>
internal sealed class ReadOnlyDocumentException : InvalidOperationException
{
    public ReadOnlyDocumentException(string docId, SpaceId space)
        : base($"document {docId} is read-only here: this device is not an owner or editor of its space {space}")
    {
        DocId = docId;
        Space = space;
    }

    public string DocId { get; }

    public SpaceId Space { get; }
}
