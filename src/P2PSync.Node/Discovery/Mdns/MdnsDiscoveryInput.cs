namespace P2PSync.Node.Discovery.Mdns;

/// <summary>What besides packets wakes <see cref="MdnsDiscovery"/>'s loop.</summary>
internal enum MdnsDiscoveryInput
{
    /// <summary>The engines' (or a hidden goodbye's) wake-up time has come.</summary>
    Wake,

    /// <summary>The interface monitor reports a different set of interfaces.</summary>
    InterfacesChanged,

    /// <summary>Send goodbyes and end the loop.</summary>
    Stop,
}
