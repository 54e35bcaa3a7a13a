namespace P2PSync.Node.Tests.Transport.WebRtc.YWebRtc;

/// <summary>
/// Values printed by tests/oracle/ywebrtc-golden.mjs from y-webrtc 10.3.0's own src/crypto.js and
/// lib0 0.2.120's writeAny (keys hex, lib0 bytes hex, JSON and sealed payloads base64). Regenerate
/// with <c>node tests/oracle/ywebrtc-golden.mjs</c> and paste the lines below.
/// </summary>
internal static class YWebRtcGoldenData
{
    public static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["key.simple"] = "ae72ae688ba1e8cf64ab5d3df51175cae44def913c29613c36183e0357e607c0",
        ["key.unicode"] = "c8532ebbc4ecd1da6c4b2a7b8992593922805133ed8683cefb57235782b50717",
        ["key.empty-room"] = "8f0c40de94833cacb9dc49f3667a277b44be1489893779f85f5b89228208861f",
        ["any.announce"] = "760204747970657708616e6e6f756e63650466726f6d772432663162306334652d386437612d346333622d396532312d356136663762386339643065",
        ["any.announce.json"] = "eyJ0eXBlIjoiYW5ub3VuY2UiLCJmcm9tIjoiMmYxYjBjNGUtOGQ3YS00YzNiLTllMjEtNWE2ZjdiOGM5ZDBlIn0=",
        ["any.offer"] = "760502746f7701620466726f6d770161047479706577067369676e616c05746f6b656e7b4279aab68874eea2067369676e616c7602047479706577056f6666657203736470771f763d300d0a6f3d2d2031203220494e20495034203132372e302e302e310d0a",
        ["any.offer.json"] = "eyJ0byI6ImIiLCJmcm9tIjoiYSIsInR5cGUiOiJzaWduYWwiLCJ0b2tlbiI6MTc2MzgxMjM0NTY3OC45MTQ2LCJzaWduYWwiOnsidHlwZSI6Im9mZmVyIiwic2RwIjoidj0wXHJcbm89LSAxIDIgSU4gSVA0IDEyNy4wLjAuMVxyXG4ifX0=",
        ["any.candidate"] = "760502746f7701620466726f6d770161047479706577067369676e616c05746f6b656e7b4279aab68874e400067369676e616c76020474797065770963616e6469646174650963616e64696461746576030963616e646964617465773563616e6469646174653a3120312075647020323132323236303232332031302e37382e312e312035303030302074797020686f73740d7364704d4c696e65496e6465787d00067364704d6964770130",
        ["any.candidate.json"] = "eyJ0byI6ImIiLCJmcm9tIjoiYSIsInR5cGUiOiJzaWduYWwiLCJ0b2tlbiI6MTc2MzgxMjM0NTY3OC4yNSwic2lnbmFsIjp7InR5cGUiOiJjYW5kaWRhdGUiLCJjYW5kaWRhdGUiOnsiY2FuZGlkYXRlIjoiY2FuZGlkYXRlOjEgMSB1ZHAgMjEyMjI2MDIyMyAxMC43OC4xLjEgNTAwMDAgdHlwIGhvc3QiLCJzZHBNTGluZUluZGV4IjowLCJzZHBNaWQiOiIwIn19fQ==",
        ["any.numbers"] = "760705736d616c6c7d05086e656761746976657dc601036269677c4f0000000468616c667c3f0000000574686972647b3fd5555555555555046c697374750478797e770178066e6573746564760104646565707500",
        ["any.numbers.json"] = "eyJzbWFsbCI6NSwibmVnYXRpdmUiOi03MCwiYmlnIjoyMTQ3NDgzNjQ4LCJoYWxmIjowLjUsInRoaXJkIjowLjMzMzMzMzMzMzMzMzMzMzMsImxpc3QiOlt0cnVlLGZhbHNlLG51bGwsIngiXSwibmVzdGVkIjp7ImRlZXAiOltdfX0=",
        ["sealed.key.simple.any.announce.iv1"] = "B0FFUy1HQ00MHyYtNDtCSVBXXmVsTJHxRC7HWht1vLyEx8Xy2uCLDeIN6jD/nrVUHxOqJijIa6MqoVIzcqi+sT1GQ8jIgPoe16qo1v9SX9r0colF1vFtzW7JhcM5YzgSAic=",
        ["sealed.key.simple.any.offer.iv2"] = "B0FFUy1HQ00MPkVMU1phaG92fYSLdswrF8jl5jCyGYiYyr8eyCfXF09LMqqeP8jkQVS38oH52oCUDxU+bBDG8ltorl6R0pc8Yk3KROETffqGq2HXB8bBc9vwbBnhD9/+rwKJZpISXy/6pMl3VcCKCum7xX89iFpuBuAs3sgFd3oXZJ7BdX7yoxyfHYI=",
        ["sealed.key.unicode.any.announce.iv3"] = "B0FFUy1HQ00MXWRrcnmAh46VnKOqTOv2Kjg0tSoGq6UMz6s8uL/AoTkyGhYoH1Tt3+uNNKzNR2aI/K5QMde22iIwG/B9NZWSWaue1PY1T5jO2tIbdWvwjrHH7L3yhTQDiVo=",
        ["sealed.key.unicode.any.offer.iv4"] = "B0FFUy1HQ00MfIOKkZifpq20u8LJdmD2s67vljGaacg1rhfBVIPiVZAYofgEqbxkAzDyHqejxyRSSY9Ze9rAJvbwAeiK2uxIzmKRS3ZoYphkc4YfaFlZXOshRVO2Mx0FYfGD5jVjSTWmwa8ZON1RNNEdH5lsXqAORq+PZ/kGv4S1M6s1vKjl+4o4hvs=",
        ["sealed.key.empty-room.any.announce.iv5"] = "B0FFUy1HQ00Mm6KpsLe+xczT2uHoTOpuuJb+F6/0V5wLP5dU+8BCu0ZsVGzEk91WrGmY/giNAYDr+Rvld8bFaDf/LIMO/Znimu9XoWlRDcUwnWNNDBqLizRKbZ1l40m6KWc=",
        ["sealed.key.empty-room.any.offer.iv6"] = "B0FFUy1HQ00MusHIz9bd5Ovy+QAHdkIEhFduh8x1Wa4q0m8dmNXtASj26kHuebGP495i5ro9sDqLxfeohw+QK6Ymjk8dDg1cO6so7v9zcV8+kT/y0jvnchaPtfebvuz4+pSCOv7wO66JD1DiZpkFjcSijEl7V1VcTtNV0l+5rV4gZeBICWDdRgP/LA4=",
        ["sealed.random-iv.key.simple.any.candidate"] = "B0FFUy1HQ00Ma2TS5TkO23sT1/EXvAGzvlE6os+GBxAwL2iGp+FEzBlIpYN6pu+wIWpvHLWIfH9miWDwbtwvzg5b+pqYLVv5DHwh3Wte/sHAojq8PXw1iitjjogu9rv1Y9I1QZlDk+oXHdmH8ZTPkisy6VgjZAMTRcSmov7+AcEZikd6cjUmM/39GLH6s0eX79SgAYsn3qNnhsWcwBblBfK3eq65V+PS+bxana6NElXXuMZTGJowamaGfnAxWzxzEfe2SkObZm9qroW86VheA6+3mA==",
    };
}
