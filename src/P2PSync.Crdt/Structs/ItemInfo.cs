namespace P2PSync.Crdt.Structs;

/// <summary>
/// The info byte that starts every struct on the wire: bits 1-5 select the struct kind or
/// content ref, bit 6 says a parentSub follows, bit 7 a right origin, bit 8 an origin.
/// </summary>
internal static class ItemInfo
{
    public const int ContentRefMask = 0x1F;
    public const int HasParentSub = 0x20;
    public const int HasRightOrigin = 0x40;
    public const int HasOrigin = 0x80;
}
