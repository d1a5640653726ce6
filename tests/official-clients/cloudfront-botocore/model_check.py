# Checks every CloudFront answer of the emulator against botocore's model (service-2.json, API 2020-05-31), using
# botocore itself as the client: each XML element must be a member of its output shape (by locationName), required
# members present, scalars of the member's type (integers, booleans, enumerations), and every header member the
# model names present (ETag; UpdateFunction's ETtag; Location). Botocore parses leniently, so the raw answer is read.
# Usage: python3 model_check.py <base_url> <access_key_id> <secret_access_key>   (pip install botocore)
import sys, time
import xml.etree.ElementTree as ET

import botocore.session

base, key, secret = sys.argv[1:4]
s = botocore.session.get_session()
c = s.create_client('cloudfront', region_name='us-east-1', endpoint_url=base, aws_access_key_id=key, aws_secret_access_key=secret)
model = c.meta.service_model
problems, checked = [], []
NS = '{http://cloudfront.amazonaws.com/doc/2020-05-31/}'

def walk(el, shape, path):
    t = shape.type_name
    if t == 'structure':
        names = {}
        for name, m in shape.members.items():
            if m.serialization.get('location'): continue
            names[m.serialization.get('name', name)] = (name, m)
        seen = set()
        for child in el:
            tag = child.tag.replace(NS, '')
            if tag not in names: problems.append(f'{path}/{tag}: not a member of {shape.name}'); continue
            seen.add(tag); walk(child, names[tag][1], f'{path}/{tag}')
        for r in shape.required_members:
            loc = shape.members[r].serialization.get('name', r)
            if shape.members[r].serialization.get('location'): continue
            if loc not in seen: problems.append(f'{path}: required {r} missing ({shape.name})')
    elif t == 'list':
        item = shape.member.serialization.get('name', 'member')
        for child in el:
            tag = child.tag.replace(NS, '')
            if tag != item: problems.append(f'{path}/{tag}: list items are {item}')
            walk(child, shape.member, f'{path}/{tag}')
    else:
        text = (el.text or '')
        try:
            if t in ('integer', 'long'): int(text)
            elif t == 'boolean': assert text in ('true', 'false')
            elif t == 'string' and shape.enum: assert text in shape.enum, f'{text} not in enum'
            elif t == 'timestamp': assert 'T' in text
        except Exception as e:
            problems.append(f'{path}: {t} {shape.name} = {text!r} ({e})')

def check(**kw):
    op = kw['model']; resp = kw['http_response']
    out = op.output_shape
    checked.append(op.name)
    if out is None: return
    for name, m in out.members.items():
        if m.serialization.get('location') == 'header':
            h = m.serialization.get('name')
            if h not in resp.headers: problems.append(f'{op.name}: header {h} missing')
    payload = out.serialization.get('payload')
    if payload and out.members[payload].type_name == 'structure' and resp.content:
        root = ET.fromstring(resp.content)
        shape = out.members[payload]
        expected = shape.serialization.get('name', payload)
        if root.tag.replace(NS, '') != expected: problems.append(f'{op.name}: root {root.tag} is not {expected}')
        walk(root, shape, op.name)

class Raw:
    def __init__(self, response_dict):
        self.headers, self.content = response_dict['headers'], response_dict['body']

c.meta.events.register('before-parse.cloudfront', lambda **kw: check(model=kw['operation_model'], http_response=Raw(kw['response_dict'])))

run = str(int(time.time()))
fn = 'model-check-' + run
created = c.create_function(Name=fn, FunctionConfig={'Comment': 'm', 'Runtime': 'cloudfront-js-2.0'}, FunctionCode=b'function handler(event) { return event.request; }')
d = c.describe_function(Name=fn)
c.get_function(Name=fn)
u = c.update_function(Name=fn, IfMatch=d['ETag'], FunctionConfig={'Comment': 'm2', 'Runtime': 'cloudfront-js-2.0'}, FunctionCode=b'function handler(event) { return event.request; } // 2')
assert u.get('ETag'), 'botocore read no ETag from UpdateFunction'
p = c.publish_function(Name=fn, IfMatch=u['ETag'])
c.list_functions(Stage='LIVE')
arn = p['FunctionSummary']['FunctionMetadata']['FunctionARN']
origin = {'Id': 'o1', 'DomainName': 'origin.example.net', 'CustomOriginConfig': {'HTTPPort': 80, 'HTTPSPort': 443, 'OriginProtocolPolicy': 'https-only'}}
config = {
  'CallerReference': 'model-' + run, 'Comment': 'model check', 'Enabled': True,
  'Origins': {'Quantity': 1, 'Items': [origin]},
  'DefaultCacheBehavior': {'TargetOriginId': 'o1', 'ViewerProtocolPolicy': 'redirect-to-https', 'MinTTL': 0, 'DefaultTTL': 86400, 'MaxTTL': 31536000,
     'ForwardedValues': {'QueryString': False, 'Cookies': {'Forward': 'none'}},
     'FunctionAssociations': {'Quantity': 1, 'Items': [{'FunctionARN': arn, 'EventType': 'viewer-request'}]}},
  'Restrictions': {'GeoRestriction': {'RestrictionType': 'whitelist', 'Quantity': 1, 'Items': ['US']}},
}
dist = c.create_distribution_with_tags(DistributionConfigWithTags={'DistributionConfig': config, 'Tags': {'Items': [{'Key': 'poppy', 'Value': 'x'}]}})
did = dist['Distribution']['Id']; darn = dist['Distribution']['ARN']
g = c.get_distribution(Id=did)
gc = c.get_distribution_config(Id=did)
cfg = gc['DistributionConfig']; cfg['Comment'] = 'model check 2'
c.update_distribution(Id=did, IfMatch=gc['ETag'], DistributionConfig=cfg)
c.list_distributions()
inv = c.create_invalidation(DistributionId=did, InvalidationBatch={'Paths': {'Quantity': 2, 'Items': ['/a', '/b/*']}, 'CallerReference': 'inv-' + run})
c.get_invalidation(DistributionId=did, Id=inv['Invalidation']['Id'])
c.list_invalidations(DistributionId=did)
c.tag_resource(Resource=darn, Tags={'Items': [{'Key': 'k', 'Value': 'v'}]})
c.list_tags_for_resource(Resource=darn)
c.untag_resource(Resource=darn, TagKeys={'Items': ['k']})
gc = c.get_distribution_config(Id=did); cfg = gc['DistributionConfig']; cfg['Enabled'] = False
c.update_distribution(Id=did, IfMatch=gc['ETag'], DistributionConfig=cfg)
g = c.get_distribution(Id=did)
c.delete_distribution(Id=did, IfMatch=g['ETag'])
d = c.describe_function(Name=fn)
c.delete_function(Name=fn, IfMatch=d['ETag'])
print(f'{len(checked)} answers checked: {", ".join(sorted(set(checked)))}')
print('\n'.join(problems) if problems else 'no differences from the model')
sys.exit(1 if problems else 0)
