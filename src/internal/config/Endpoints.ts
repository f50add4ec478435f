/**
 * Where each service the package calls lives by default, and under which region its requests are signed: EC2 and
 * STS regional, S3 regional (virtual-hosted when AWS's own, path-style when custom), IAM one global endpoint per
 * partition signed in that partition's home region. FIPS and dual-stack follow the rules of AWS SDK v3's endpoint
 * rulesets for these services.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { configError, type ConfigError } from '../../Ec2ImportError.js'
import { partitionOf } from './Partition.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A service the package calls.
 *
 * @public
 * @since 0.2.0
 */
export type ServiceId = 'ec2' | 'sts' | 'iam' | 's3'

/**
 * The services, with the suffix of their `AWS_ENDPOINT_URL_<SERVICE>` variable and their key in a shared config
 * `[services]` section.
 *
 * @internal
 */
export const SERVICES: ReadonlyArray<{ readonly id: ServiceId; readonly envSuffix: string }> = [
  { id: 'ec2', envSuffix: 'EC2' },
  { id: 'sts', envSuffix: 'STS' },
  { id: 'iam', envSuffix: 'IAM' },
  { id: 's3', envSuffix: 'S3' },
]

/**
 * A service's endpoint and the region its signatures name.
 *
 * @internal
 */
export interface ServiceEndpoint {
  readonly url: URL
  readonly signingRegion: string
  /** The endpoint was configured rather than computed (S3 then addresses buckets by path). */
  readonly custom: boolean
}

/**
 * The endpoint flags.
 *
 * @internal
 */
export interface EndpointFlags {
  readonly useFipsEndpoint: boolean
  readonly useDualstackEndpoint: boolean
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * The EC2 endpoint of a region for the FIPS/dual-stack flags, following the rules of the EC2 endpoint ruleset in
 * AWS SDK v3 (GovCloud's FIPS endpoint is `ec2.{region}.amazonaws.com`).
 *
 * @internal
 * @since 0.1.0
 */
export const ec2EndpointFor = (region: string, flags: EndpointFlags): E.Either<ConfigError, URL> => {
  const p = partitionOf(region)
  const { useFipsEndpoint: fips, useDualstackEndpoint: dual } = flags
  if (fips && dual) {
    return p.supportsFIPS && p.supportsDualStack
      ? E.right(new URL(`https://ec2-fips.${region}.${p.dualStackDnsSuffix}`))
      : E.left(configError(`partition ${p.id} of region ${region} does not support FIPS and dual-stack together`))
  }
  if (fips) {
    if (!p.supportsFIPS) return E.left(configError(`partition ${p.id} of region ${region} does not support FIPS`))
    return E.right(new URL(p.id === 'aws-us-gov' ? `https://ec2.${region}.amazonaws.com` : `https://ec2-fips.${region}.${p.dnsSuffix}`))
  }
  if (dual) {
    return p.supportsDualStack
      ? E.right(new URL(`https://ec2.${region}.${p.dualStackDnsSuffix}`))
      : E.left(configError(`partition ${p.id} of region ${region} does not support dual-stack`))
  }
  return E.right(new URL(`https://ec2.${region}.${p.dnsSuffix}`))
}

// IAM is global: one endpoint per partition, signed in the partition's home region.
const IAM_GLOBAL: Readonly<Record<string, { readonly host: string; readonly fipsHost?: string; readonly region: string }>> = {
  aws: { host: 'iam.amazonaws.com', fipsHost: 'iam-fips.amazonaws.com', region: 'us-east-1' },
  'aws-cn': { host: 'iam.cn-north-1.amazonaws.com.cn', region: 'cn-north-1' },
  'aws-us-gov': { host: 'iam.us-gov.amazonaws.com', fipsHost: 'iam.us-gov.amazonaws.com', region: 'us-gov-west-1' },
}

/**
 * The default endpoint of a service in a region.
 *
 * @internal
 */
export const defaultEndpoint = (service: ServiceId, region: string, flags: EndpointFlags): E.Either<ConfigError, ServiceEndpoint> => {
  const p = partitionOf(region)
  const { useFipsEndpoint: fips, useDualstackEndpoint: dual } = flags
  const at = (host: string, signingRegion = region): E.Either<ConfigError, ServiceEndpoint> =>
    E.right({ url: new URL(`https://${host}`), signingRegion, custom: false })
  if (fips && !p.supportsFIPS) return E.left(configError(`partition ${p.id} of region ${region} does not support FIPS`))
  if (dual && !p.supportsDualStack) return E.left(configError(`partition ${p.id} of region ${region} does not support dual-stack`))
  switch (service) {
    case 'ec2':
      return E.map((url: URL): ServiceEndpoint => ({ url, signingRegion: region, custom: false }))(ec2EndpointFor(region, flags))
    case 'sts':
      return at(`sts${fips ? '-fips' : ''}.${region}.${dual ? p.dualStackDnsSuffix : p.dnsSuffix}`)
    case 's3':
      // S3 keeps its own dual-stack names under the partition's classic suffix.
      return at(`s3${fips ? '-fips' : ''}${dual ? '.dualstack' : ''}.${region}.${p.dnsSuffix}`)
    case 'iam': {
      const g = IAM_GLOBAL[p.id]
      if (dual) return E.left(configError(`IAM has no dual-stack endpoint in partition ${p.id}`))
      if (g === undefined) return at(`iam.${p.dnsSuffix}`)
      if (fips && g.fipsHost === undefined) return E.left(configError(`IAM has no FIPS endpoint in partition ${p.id}`))
      return at(fips ? g.fipsHost! : g.host, g.region)
    }
  }
}
