using Poppy.Sdk.Fastly.Internal;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

public class UpdateServiceTests
{
    private const string Id = FastlyMock.VendorId;

    [Fact]
    public async Task UpdateServiceAsync_ChangedSpec_ClonesRebuildsChangedObjectsValidatesAndActivates()
    {
        var mock = new FastlyMock();
        var before = TestSpecs.Normalize(TestSpecs.Rich());
        var after = TestSpecs.Rich() with
        {
            Domains = [new DomainSpec("www.example.com"), new DomainSpec("cdn.example.com")],
            Caching = [new CachingRule("default", 600, new PathRule("default", "/*")), new CachingRule("images", 86400, new PathRule("images", "/images/*"))],
            Restrictions = [new Restriction("no-admin", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("198.51.100.7", "/admin/*", "bad-host"))],
        };
        var current = mock.Translator.ToFastly(before);
        var desired = mock.Translator.ToFastly(TestSpecs.Normalize(after, ValidationMode.Update));
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(4, active: true, locked: true, current.VersionComment))));
        mock.ExpectReadVersion(4, current);
        mock.Expect(HttpMethod.Put, FastlyMock.V(4) + "/clone").RespondJson(FastlyJson.Version(5, active: false, locked: false, current.VersionComment));

        // Dependants first (cache settings of the dropped rule, then the old restriction's response object is kept
        // but its condition changes, so it is re-created), then conditions, the changed ACL and the dropped domain.
        mock.Expect(HttpMethod.Delete, FastlyMock.V(5) + "/response_object/poppy-forbidden").RespondJson("""{"status":"ok"}""");
        mock.Expect(HttpMethod.Delete, FastlyMock.V(5) + "/cache_settings/poppy-cache-2").RespondJson("""{"status":"ok"}""");
        mock.Expect(HttpMethod.Delete, FastlyMock.V(5) + "/condition/poppy-cache-2").RespondJson("""{"status":"ok"}""");
        mock.Expect(HttpMethod.Delete, FastlyMock.V(5) + "/condition/poppy-restrictions").RespondJson("""{"status":"ok"}""");
        mock.Expect(HttpMethod.Delete, FastlyMock.V(5) + "/acl/poppy_acl_0").RespondJson("""{"status":"ok"}""");
        mock.Expect(HttpMethod.Delete, FastlyMock.V(5) + "/domain/mysite.global.ssl.fastly.net").RespondJson("""{"status":"ok"}""");
        var kept = current with
        {
            Domains = [current.Domains[0]],
            Acls = [],
            Conditions = current.Conditions.Where(c => c.Name is not ("poppy-cache-2" or "poppy-restrictions")).ToList(),
            CacheSettings = current.CacheSettings.Where(c => c.Name != "poppy-cache-2").ToList(),
            ResponseObjects = [],
        };
        mock.ExpectCreateAll(5, desired, kept);
        mock.ExpectValidateAndActivate(5);

        var operation = await mock.Provider.UpdateServiceAsync(new ServiceReference("svc-1", Id), after);

        mock.Verify();
        Assert.Equal($"fastly:update:{Id}:5", operation.Id);
        Assert.Equal(["www.example.com", "cdn.example.com"], operation.Value.AccessUrls.Select(a => a.Domain));
        Assert.Empty(operation.Value.CertificateStatuses);
    }

    [Fact]
    public async Task UpdateServiceAsync_AclEntriesChange_RecreatesTheAclInsteadOfEditingTheLiveOne()
    {
        var mock = new FastlyMock();
        var before = TestSpecs.Minimal() with { Restrictions = [new Restriction("office", RestrictionAccess.Whitelist, RestrictionRule.ForClientIp("192.0.2.0/24"))] };
        var after = before with { Restrictions = [new Restriction("office", RestrictionAccess.Whitelist, RestrictionRule.ForClientIp("192.0.2.0/24"), RestrictionRule.ForClientIp("2001:db8::/32"))] };
        var current = mock.Translator.ToFastly(TestSpecs.Normalize(before));
        var desired = mock.Translator.ToFastly(TestSpecs.Normalize(after, ValidationMode.Update));
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: true, locked: true, current.VersionComment))));
        mock.ExpectReadVersion(1, current, new Dictionary<string, string> { ["poppy_acl_0"] = "liveacl" });
        mock.Expect(HttpMethod.Put, FastlyMock.V(1) + "/clone").RespondJson(FastlyJson.Version(2, false, false));
        mock.Expect(HttpMethod.Delete, FastlyMock.V(2) + "/response_object/poppy-forbidden").RespondJson("""{"status":"ok"}""");
        mock.Expect(HttpMethod.Delete, FastlyMock.V(2) + "/condition/poppy-restrictions").RespondJson("""{"status":"ok"}""");
        mock.Expect(HttpMethod.Delete, FastlyMock.V(2) + "/acl/poppy_acl_0").RespondJson("""{"status":"ok"}""");
        mock.ExpectCreateAll(2, desired, current with { Acls = [], Conditions = [], ResponseObjects = [] });
        mock.ExpectValidateAndActivate(2);

        await mock.Provider.UpdateServiceAsync(new ServiceReference("svc-1", Id), after);

        mock.Verify();
        Assert.Equal(
            [new AclEntryObject("192.0.2.0", 24, false), new AclEntryObject("2001:db8::", 32, false)],
            Assert.Single(desired.Acls).Entries);
    }

    [Fact]
    public async Task UpdateServiceAsync_SpecAlreadyDeployed_ReadsOnlyAndDeploysNothing()
    {
        var mock = new FastlyMock();
        var current = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Rich(), ValidationMode.Update));
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(7, active: true, locked: true, current.VersionComment))));
        mock.ExpectReadVersion(7, current);

        var operation = await mock.Provider.UpdateServiceAsync(new ServiceReference("svc-1", Id), TestSpecs.Rich());

        mock.Verify();
        Assert.Equal($"fastly:update:{Id}:7", operation.Id);
        Assert.Contains(mock.Logger.Collector.GetSnapshot(), r => r.Id.Id == 3004);
    }

    [Fact]
    public async Task UpdateServiceAsync_ServiceMissing_ThrowsNotFound()
    {
        var mock = new FastlyMock();
        mock.ExpectGetService(null);

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.UpdateServiceAsync(new ServiceReference("svc-1", Id), TestSpecs.Minimal()));

        mock.Verify();
        Assert.Equal(CdnErrorCode.NotFound, error.ErrorCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task UpdateServiceAsync_UnsupportedCapability_RejectedBeforeAnyCall()
    {
        var mock = new FastlyMock();
        var spec = TestSpecs.Minimal() with { Domains = [new DomainSpec("secure.example.com", DomainProtocol.Https, CertificateKind.San)] };

        await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.UpdateServiceAsync(new ServiceReference("svc-1", Id), spec));

        mock.Verify();
    }
}
