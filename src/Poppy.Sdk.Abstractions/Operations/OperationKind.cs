namespace Poppy.Sdk;

/// <summary>What a long-running operation does.</summary>
public enum OperationKind
{
    /// <summary>Provisions a service.</summary>
    Create,

    /// <summary>Brings a service to a new spec.</summary>
    Update,

    /// <summary>Removes a service.</summary>
    Delete,

    /// <summary>Purges cached content.</summary>
    Purge,
}
