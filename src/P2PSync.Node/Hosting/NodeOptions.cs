namespace P2PSync.Node.Hosting;

/// <summary>Settings a node starts with.</summary>
internal sealed class NodeOptions
{
    /// <summary>Directory holding the store, the device key and api.json. Created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>TCP port for peers (0 = any free port); null = do not listen, only dial.</summary>
    public int? ListenPort { get; init; }

    /// <summary>Port of the local API on 127.0.0.1 (0 = any free port); null = no API.</summary>
    public int? ApiPort { get; init; }

    /// <summary>Name this device tells its peers (Hello.device_name).</summary>
    public string DeviceName { get; init; } = Environment.MachineName;
}
