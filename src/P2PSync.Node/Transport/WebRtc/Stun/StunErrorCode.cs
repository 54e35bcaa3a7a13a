namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>The ERROR-CODE attribute: a code 300..699 and a UTF-8 reason phrase.</summary>
internal sealed record StunErrorCode(int Code, string Reason)
{
    /// <summary>USERNAME, MESSAGE-INTEGRITY or PRIORITY missing from a check.</summary>
    public static StunErrorCode BadRequest => new(400, "Bad Request");

    /// <summary>The ufrag is not ours or MESSAGE-INTEGRITY does not verify.</summary>
    public static StunErrorCode Unauthorized => new(401, "Unauthorized");

    /// <summary>The request carries a comprehension-required attribute we do not know.</summary>
    public static StunErrorCode UnknownAttribute => new(420, "Unknown Attribute");

    /// <summary>Both agents claim the same ICE role and the peer must switch (RFC 8445 §7.3.1.1).</summary>
    public static StunErrorCode RoleConflict => new(487, "Role Conflict");

    public const int RoleConflictCode = 487;
}
