namespace P2PSync.Node.CrdtTools;

/// <summary>A root to show: its name and the kind it is read as, written <c>NAME:KIND</c>.</summary>
internal sealed record RootSpec(string Name, RootKind Kind)
{
    /// <summary>
    /// Parses <c>NAME:KIND</c>. The kind follows the last colon, so root names may contain colons.
    /// Returns null (with a reason) when the text is not a valid spec.
    /// </summary>
    public static RootSpec? TryParse(string text, out string? problem)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            problem = $"root '{text}' must be NAME:KIND with KIND one of text, array, map, xml";
            return null;
        }

        RootKind? kind = text[(colon + 1)..] switch
        {
            "text" => RootKind.Text,
            "array" => RootKind.Array,
            "map" => RootKind.Map,
            "xml" => RootKind.Xml,
            _ => null,
        };
        if (kind is null)
        {
            problem = $"root '{text}': unknown kind '{text[(colon + 1)..]}' (use text, array, map or xml)";
            return null;
        }

        problem = null;
        return new RootSpec(text[..colon], kind.Value);
    }
}
