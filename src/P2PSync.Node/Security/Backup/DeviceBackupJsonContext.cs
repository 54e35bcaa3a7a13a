using System.Text.Json.Serialization;

namespace P2PSync.Node.Security.Backup;

/// <summary>
/// Source-generated JSON for the backup content (no reflection at run time). Strict on reading:
/// a member this build does not know, a missing member or a null where none is allowed is an
/// error, so a newer format is refused instead of being half restored.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(DeviceBackup))]
internal sealed partial class DeviceBackupJsonContext : JsonSerializerContext
{
}
