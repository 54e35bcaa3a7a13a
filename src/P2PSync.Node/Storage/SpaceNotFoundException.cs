namespace P2PSync.Node.Storage;

/// <summary>An operation named a space that this store does not have.</summary>
internal sealed class SpaceNotFoundException : StoreException
{
    /// <summary>Creates the exception for the space with these id bytes.</summary>
    public SpaceNotFoundException(byte[] spaceId)
        : base($"no space with id {Convert.ToHexStringLower(spaceId)} in this store")
    {
        SpaceIdHex = Convert.ToHexStringLower(spaceId);
    }

    /// <summary>The id that was asked for, lower-case hex.</summary>
    public string SpaceIdHex { get; }
}
