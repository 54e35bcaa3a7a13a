using System.Security.Cryptography;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// A well-formed membership entry that the log refuses: forged, out of place, or not allowed.
/// The log is unchanged when this is thrown. Derives from <see cref="CryptographicException"/>
/// because most refusals are failed authenticity checks (signature, chain, authority).
/// </summary>
internal sealed class MembershipException : CryptographicException
{
    public MembershipException(MembershipRefusal refusal, string message)
        : base(message)
    {
        Refusal = refusal;
    }

    /// <summary>Which rule the entry broke.</summary>
    public MembershipRefusal Refusal { get; }
}
