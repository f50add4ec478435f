// Canned requests and responses shared by the loopback server and every client scenario.
// Only plain data here: importing this module must cost nothing measurable (cold start imports it).

export const REGION = 'us-east-1'
export const CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDEXAMPLEBENCH0000',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
})

/**
 * The ImportImage input every client sends (the same value for ours and the SDK): every member a valid request can
 * carry. Three disks, one per source (`UserBucket`, `Url`, `SnapshotId`: a container has exactly one), `LicenseType`
 * (it excludes `UsageOperation`), `KmsKeyId` with `Encrypted: true`, `DryRun: false` (a dry run gets no task back).
 */
export const importImageInput = () => ({
  Architecture: 'x86_64',
  BootMode: 'uefi',
  ClientData: {
    Comment: 'uploaded by the nightly pipeline',
    UploadEnd: new Date('2024-06-01T02:10:00Z'),
    UploadSize: 8.5,
    UploadStart: new Date('2024-06-01T02:00:00Z'),
  },
  ClientToken: '6b0b5f0e-3f7c-4f7e-9d7e-2b1d2c3a4b5c',
  Description: 'web server image, nightly build',
  DiskContainers: [
    {
      Description: 'root disk',
      DeviceName: '/dev/sda',
      Format: 'VMDK',
      UserBucket: { S3Bucket: 'bench-images', S3Key: 'nightly/web-server-2024-06-01.vmdk' },
    },
    {
      Description: 'data disk',
      DeviceName: '/dev/sdb',
      Format: 'VHD',
      Url: 'https://bench-images.s3.amazonaws.com/nightly/data-2024-06-01.vhd',
    },
    {
      Description: 'log disk',
      DeviceName: '/dev/sdc',
      SnapshotId: 'snap-0123456789abcdef0',
    },
  ],
  DryRun: false,
  Encrypted: true,
  Hypervisor: 'xen',
  KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  LicenseSpecifications: [{ LicenseConfigurationArn: 'arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-0123456789abcdef0' }],
  LicenseType: 'BYOL',
  Platform: 'Linux',
  RoleName: 'vmimport',
  TagSpecifications: [
    {
      ResourceType: 'import-image-task',
      Tags: [
        { Key: 'Name', Value: 'web-nightly' },
        { Key: 'team', Value: 'platform' },
      ],
    },
  ],
})

/**
 * The form body the raw-undici floor pre-signs once: what this client serializes for the input above
 * (the same bytes the SDK sends for it too; checked when the input changed).
 */
export const IMPORT_IMAGE_FORM =
  'Action=ImportImage&Version=2016-11-15&Architecture=x86_64' +
  '&ClientData.Comment=uploaded%20by%20the%20nightly%20pipeline' +
  '&ClientData.UploadEnd=2024-06-01T02%3A10%3A00Z&ClientData.UploadSize=8.5' +
  '&ClientData.UploadStart=2024-06-01T02%3A00%3A00Z&ClientToken=6b0b5f0e-3f7c-4f7e-9d7e-2b1d2c3a4b5c' +
  '&Description=web%20server%20image%2C%20nightly%20build&DiskContainer.1.Description=root%20disk' +
  '&DiskContainer.1.DeviceName=%2Fdev%2Fsda&DiskContainer.1.Format=VMDK' +
  '&DiskContainer.1.UserBucket.S3Bucket=bench-images' +
  '&DiskContainer.1.UserBucket.S3Key=nightly%2Fweb-server-2024-06-01.vmdk' +
  '&DiskContainer.2.Description=data%20disk&DiskContainer.2.DeviceName=%2Fdev%2Fsdb' +
  '&DiskContainer.2.Format=VHD' +
  '&DiskContainer.2.Url=https%3A%2F%2Fbench-images.s3.amazonaws.com%2Fnightly%2Fdata-2024-06-01.vhd' +
  '&DiskContainer.3.Description=log%20disk&DiskContainer.3.DeviceName=%2Fdev%2Fsdc' +
  '&DiskContainer.3.SnapshotId=snap-0123456789abcdef0&DryRun=false&Encrypted=true&Hypervisor=xen' +
  '&KmsKeyId=arn%3Aaws%3Akms%3Aus-east-1%3A123456789012%3Akey%2F1234abcd-12ab-34cd-56ef-1234567890ab' +
  '&LicenseType=BYOL&Platform=Linux&RoleName=vmimport' +
  '&LicenseSpecifications.1.LicenseConfigurationArn=arn%3Aaws%3Alicense-manager%3Aus-east-1%3A123456789012%3Alicense-configuration%3Alic-0123456789abcdef0' +
  '&TagSpecification.1.ResourceType=import-image-task&TagSpecification.1.Tag.1.Key=Name' +
  '&TagSpecification.1.Tag.1.Value=web-nightly&TagSpecification.1.Tag.2.Key=team' +
  '&TagSpecification.1.Tag.2.Value=platform&BootMode=uefi'

export const DESCRIBE_FORM = 'Action=DescribeImportImageTasks&Version=2016-11-15'

/** A form body as `aws4.sign` takes it, for the EC2 endpoint at `host` (the raw-undici clients sign with it). */
export const signable = (host, body) => ({
  method: 'POST',
  host,
  path: '/',
  service: 'ec2',
  region: REGION,
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body,
})

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/'

const snapshot = (i, d) => `
            <item>
                <description>disk ${d} of task ${i}</description>
                <deviceName>/dev/sd${String.fromCharCode(97 + d)}</deviceName>
                <diskImageSize>${(1073741824 * (d + 1) + i).toFixed(1)}</diskImageSize>
                <format>VMDK</format>
                <progress>${(i * 7 + d) % 100}</progress>
                <snapshotId>snap-${(0x1000000 + i * 4 + d).toString(16).padStart(17, '0')}</snapshotId>
                <status>active</status>
                <statusMessage>converting</statusMessage>
                <userBucket>
                    <s3Bucket>bench-images</s3Bucket>
                    <s3Key>nightly/task-${i}/disk-${d}.vmdk</s3Key>
                </userBucket>
            </item>`

const tag = (k, v) => `
            <item>
                <key>${k}</key>
                <value>${v}</value>
            </item>`

const task = (i) => `
        <item>
            <architecture>x86_64</architecture>
            <description>import task ${i} &amp; friends</description>
            <encrypted>false</encrypted>
            <hypervisor>xen</hypervisor>
            <importTaskId>import-ami-${(0xabc0000 + i).toString(16).padStart(17, '0')}</importTaskId>
            <licenseType>BYOL</licenseType>
            <platform>Linux</platform>
            <progress>${(i * 13) % 100}</progress>
            <snapshotDetailSet>${snapshot(i, 0)}${snapshot(i, 1)}
            </snapshotDetailSet>
            <status>active</status>
            <statusMessage>converting</statusMessage>
            <tagSet>${tag('Name', `task-${i}`)}${tag('team', 'platform')}${tag('cost-center', `cc-${i % 17}`)}
            </tagSet>
            <bootMode>uefi</bootMode>
        </item>`

/** A DescribeImportImageTasks response of `n` tasks, 2 snapshot details and 3 tags each. */
export const describeResponseXml = (n) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<DescribeImportImageTasksResponse xmlns="${NS}">
    <requestId>5e0e3c4f-0000-4000-8000-00000000d1d1</requestId>
    <importImageTaskSet>${Array.from({ length: n }, (_, i) => task(i)).join('')}
    </importImageTaskSet>
</DescribeImportImageTasksResponse>
`

/** A canned ImportImage response: an active task with two disks, a licence configuration and the request's two tags. */
export const IMPORT_IMAGE_RESPONSE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<ImportImageResponse xmlns="${NS}">
    <requestId>5e0e3c4f-0000-4000-8000-000000001111</requestId>
    <architecture>x86_64</architecture>
    <description>web server image, nightly build</description>
    <encrypted>true</encrypted>
    <hypervisor>xen</hypervisor>
    <importTaskId>import-ami-0123456789abcdef0</importTaskId>
    <kmsKeyId>arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab</kmsKeyId>
    <licenseType>BYOL</licenseType>
    <platform>Linux</platform>
    <progress>1</progress>
    <snapshotDetailSet>
        <item>
            <description>root disk</description>
            <deviceName>/dev/sda</deviceName>
            <diskImageSize>0.0</diskImageSize>
            <format>VMDK</format>
            <userBucket>
                <s3Bucket>bench-images</s3Bucket>
                <s3Key>nightly/web-server-2024-06-01.vmdk</s3Key>
            </userBucket>
        </item>
        <item>
            <description>data disk</description>
            <deviceName>/dev/sdb</deviceName>
            <diskImageSize>0.0</diskImageSize>
            <format>VHD</format>
            <url>https://bench-images.s3.amazonaws.com/nightly/data-2024-06-01.vhd</url>
        </item>
    </snapshotDetailSet>
    <status>active</status>
    <statusMessage>pending</statusMessage>
    <licenseSpecifications>
        <item>
            <licenseConfigurationArn>arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-0123456789abcdef0</licenseConfigurationArn>
        </item>
    </licenseSpecifications>
    <tagSet>
        <item>
            <key>Name</key>
            <value>web-nightly</value>
        </item>
        <item>
            <key>team</key>
            <value>platform</value>
        </item>
    </tagSet>
    <bootMode>uefi</bootMode>
</ImportImageResponse>
`
