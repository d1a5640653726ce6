namespace Poppy.Sdk;

/// <summary>A catalog write was refused because the entry changed since it was read (optimistic concurrency).</summary>
public class CatalogConflictException : CdnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="serviceId">The service.</param>
    /// <param name="expectedVersion">The version the writer read.</param>
    /// <param name="actualVersion">The version stored now (0 when absent).</param>
    public CatalogConflictException(string serviceId, long expectedVersion, long actualVersion)
        : base($"Service '{serviceId}' changed in the catalog since it was read (expected version {expectedVersion}, stored {actualVersion}); read it again and retry.")
    {
        ServiceId = serviceId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The version the writer read.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version stored now (0 when absent).</summary>
    public long ActualVersion { get; }
}
