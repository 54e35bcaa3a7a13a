namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// ICE short-term credentials (RFC 8839 §5.4): ufrag 4–256 and pwd 22–256 ice-chars. Chromium
/// refuses shorter ones, so we refuse them too rather than fail later in the browser.
/// </summary>
internal sealed record IceCredentials
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public IceCredentials(string ufrag, string password)
    {
        Check(ufrag, 4, "ufrag");
        Check(password, 22, "pwd");
        Ufrag = ufrag;
        Password = password;
    }

    public string Ufrag { get; }

    public string Password { get; }

    /// <summary>8-character ufrag and 24-character pwd: 48 and 144 bits from <paramref name="random"/>.</summary>
    /// <remarks>Production passes a generator seeded from the OS; tests pass a fixed seed.</remarks>
    public static IceCredentials Generate(Random random) => new(RandomIceChars(random, 8), RandomIceChars(random, 24));

    private static string RandomIceChars(Random random, int length) =>
        string.Create(length, random, static (span, rng) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = IceChars[rng.Next(IceChars.Length)];
            }
        });

    private static void Check(string value, int minLength, string what)
    {
        if (value.Length < minLength || value.Length > 256 || !IceCandidateLine.IsIceChars(value))
        {
            throw new WebRtcFormatException(WebRtcLayer.Ice, WebRtcFormatProblem.InvalidValue, $"ice-{what} must be {minLength}..256 ice-chars");
        }
    }
}
