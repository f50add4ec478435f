/**
 * AWS partitions (aws, aws-cn, aws-us-gov, the ISO partitions, …) and the host rules that follow from them: which
 * DNS suffix a region's endpoints use, and which hosts are loopback (the only ones a plain-http endpoint may name).
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------------------
// hosts and partitions
// -------------------------------------------------------------------------------------------------

/**
 * Whether a URL hostname (as `URL#hostname` gives it, IPv6 in brackets) is the loopback interface:
 * `localhost`, 127.0.0.0/8 or `::1`. Plain `http://` is accepted only for these, because a session
 * token would otherwise travel in clear text.
 *
 * @internal
 * @since 0.1.0
 */
export const isLoopbackHost = (hostname: string): boolean => {
  const h = hostname.toLowerCase()
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true
  const parts = h.split('.')
  return (
    parts.length === 4 &&
    parts[0] === '127' &&
    parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)
  )
}

/**
 * One AWS partition, as in the SDKs' `partitions.json`.
 *
 * @internal
 * @since 0.1.0
 */
export interface Partition {
  readonly id: string
  readonly dnsSuffix: string
  readonly dualStackDnsSuffix: string
  readonly supportsFIPS: boolean
  readonly supportsDualStack: boolean
  readonly regionRegex: RegExp
  /** Regions listed by name; they win over the regex, which is how `aws-global` finds its partition. */
  readonly regions: ReadonlyArray<string>
}

/**
 * The partitions, copied from `@aws-sdk/core`'s partition data (SDK 3.1169); the tests compare this
 * table with the SDK's own so a drift shows up.
 *
 * @internal
 * @since 0.1.0
 */
export const PARTITIONS: ReadonlyArray<Partition> = [
  {
    id: 'aws',
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
    regions: [
      'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
      'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
      'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'aws-global', 'ca-central-1', 'ca-west-1',
      'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
      'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1',
      'sa-west-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
    ],
  },
  {
    id: 'aws-cn',
    dnsSuffix: 'amazonaws.com.cn',
    dualStackDnsSuffix: 'api.amazonwebservices.com.cn',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^cn-\w+-\d+$/,
    regions: ['aws-cn-global', 'cn-north-1', 'cn-northwest-1'],
  },
  {
    id: 'aws-eusc',
    dnsSuffix: 'amazonaws.eu',
    dualStackDnsSuffix: 'api.amazonwebservices.eu',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^eusc-(de)-\w+-\d+$/,
    regions: ['eusc-de-east-1'],
  },
  {
    id: 'aws-iso',
    dnsSuffix: 'c2s.ic.gov',
    dualStackDnsSuffix: 'api.aws.ic.gov',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^us-iso-\w+-\d+$/,
    regions: ['aws-iso-global', 'us-iso-east-1', 'us-iso-west-1'],
  },
  {
    id: 'aws-iso-b',
    dnsSuffix: 'sc2s.sgov.gov',
    dualStackDnsSuffix: 'api.aws.scloud',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^us-isob-\w+-\d+$/,
    regions: ['aws-iso-b-global', 'us-isob-east-1', 'us-isob-west-1'],
  },
  {
    id: 'aws-iso-e',
    dnsSuffix: 'cloud.adc-e.uk',
    dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^eu-isoe-\w+-\d+$/,
    regions: ['aws-iso-e-global', 'eu-isoe-west-1'],
  },
  {
    id: 'aws-iso-f',
    dnsSuffix: 'csp.hci.ic.gov',
    dualStackDnsSuffix: 'api.aws.hci.ic.gov',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^us-isof-\w+-\d+$/,
    regions: ['aws-iso-f-global', 'us-isof-east-1', 'us-isof-south-1'],
  },
  {
    id: 'aws-us-gov',
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^us-gov-\w+-\d+$/,
    regions: ['aws-us-gov-global', 'us-gov-east-1', 'us-gov-west-1'],
  },
]

/**
 * The partition of a region: listed names first, then the regexes, then `aws` (the SDKs' rule, so
 * a region launched after this table was copied still resolves).
 *
 * @internal
 * @since 0.1.0
 */
export const partitionOf = (region: string): Partition => {
  const aws = PARTITIONS[0] as Partition
  return (
    PARTITIONS.find((p) => p.regions.includes(region)) ??
    PARTITIONS.find((p) => p.regionRegex.test(region)) ??
    aws
  )
}

/**
 * Whether a text can be a region name (a DNS label: letters, digits and inner hyphens). Region names become host
 * names, so nothing else (a `.`, a `/`) may reach an endpoint through one.
 *
 * @internal
 * @since 0.1.0
 */
export const isValidRegionName = (region: string): boolean => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(region)

/**
 * The regional STS endpoint for a region, `https://sts.{region}.{partition dnsSuffix}`.
 *
 * @internal
 * @since 0.1.0
 */
export const stsEndpointFor = (region: string): string => `https://sts.${region}.${partitionOf(region).dnsSuffix}`


/**
 * The one rule for every endpoint the client signs requests to (EC2, STS): a URL, `https:`, or `http:` only to a
 * loopback host — a session token or a signature must never cross the network in clear text — and no user info,
 * query or fragment. Returns the URL, or what is wrong with it as a phrase that follows the endpoint's name.
 *
 * @internal
 * @since 0.1.0
 */
export const checkEndpoint = (text: string): URL | string => {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return `is not a valid URL: "${text}"`
  }
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password'
  if (url.search !== '' || url.hash !== '') return 'must not contain a query string or fragment'
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname)
      ? url
      : `uses http:// for ${url.hostname}; plain http is allowed only for loopback hosts ` +
          '(localhost, 127.0.0.0/8, [::1]) because credentials would travel in clear text'
  }
  return `must use https:// (got ${url.protocol})`
}
