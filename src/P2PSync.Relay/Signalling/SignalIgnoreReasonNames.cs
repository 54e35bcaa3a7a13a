namespace P2PSync.Relay.Signalling;

/// <summary>The metric label of each <see cref="SignalIgnoreReason"/> (snake case, stable: dashboards use them).</summary>
internal static class SignalIgnoreReasonNames
{
    public static string Label(this SignalIgnoreReason reason) => reason switch
    {
        SignalIgnoreReason.MalformedJson => "malformed_json",
        SignalIgnoreReason.InvalidUtf8 => "invalid_utf8",
        SignalIgnoreReason.LoneSurrogate => "lone_surrogate",
        SignalIgnoreReason.NotAnObject => "not_an_object",
        SignalIgnoreReason.MissingType => "missing_type",
        SignalIgnoreReason.UnknownType => "unknown_type",
        SignalIgnoreReason.TopicsNotAnArray => "topics_not_an_array",
        SignalIgnoreReason.MissingTopic => "missing_topic",
        _ => "none",
    };
}
