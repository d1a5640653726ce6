using Poppy.Sdk.Emulator.Akamai;
using Poppy.Sdk.Emulator.Cloudflare;
using Poppy.Sdk.Emulator.CloudFront;
using Poppy.Sdk.Emulator.Fastly;

namespace Poppy.Sdk.Emulator;

/// <summary>
/// The emulated vendors, one entry each, in the order of their start-up lines. This list is the only
/// place outside a vendor's folder that names the vendor: <see cref="CdnEmulator"/> maps, runs,
/// describes and resets whatever is listed here.
/// </summary>
internal static class EmulatedVendors
{
    /// <summary>Creates every vendor for one emulator.</summary>
    /// <param name="options">The emulator's options; each vendor reads its own from <see cref="CdnEmulatorOptions.Vendor{TOptions}"/>.</param>
    /// <returns>The vendors.</returns>
    #region vendors (docs/extending/writing-a-provider.md)
    public static IReadOnlyList<IVendorEmulator> Create(CdnEmulatorOptions options) =>
    [
        new FastlyEmulator(options),
        new CloudFrontEmulator(options),
        new AkamaiEmulator(options),
        new CloudflareEmulator(options),
    ];
    #endregion
}
