// Canned requests and responses shared by the loopback server and every client scenario.
// Only plain data here: importing this module must cost nothing measurable (cold start imports it).

export const REGION = 'us-east-1'
export const CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDEXAMPLEBENCH0000',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
})

/** The ImportImage input every client sends (the same value for ours and the SDK). */
export const importImageInput = () => ({
  Description: 'web server image, nightly build',
  DiskContainers: [
    {
      Description: 'root disk',
      Format: 'VMDK',
      UserBucket: { S3Bucket: 'bench-images', S3Key: 'nightly/web-server-2024-06-01.vmdk' },
    },
  ],
  BootMode: 'uefi',
  Platform: 'Linux',
  LicenseType: 'BYOL',
  Architecture: 'x86_64',
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

/** The form body the raw-undici floor pre-signs once (what a client would serialize for the input above). */
export const IMPORT_IMAGE_FORM =
  'Action=ImportImage&Version=2016-11-15&Architecture=x86_64&ClientToken=6b0b5f0e-3f7c-4f7e-9d7e-2b1d2c3a4b5c' +
  '&Description=web%20server%20image%2C%20nightly%20build&DiskContainer.1.Description=root%20disk' +
  '&DiskContainer.1.Format=VMDK&DiskContainer.1.UserBucket.S3Bucket=bench-images' +
  '&DiskContainer.1.UserBucket.S3Key=nightly%2Fweb-server-2024-06-01.vmdk&LicenseType=BYOL&Platform=Linux' +
  '&TagSpecification.1.ResourceType=import-image-task&TagSpecification.1.Tag.1.Key=Name' +
  '&TagSpecification.1.Tag.1.Value=web-nightly&TagSpecification.1.Tag.2.Key=team' +
  '&TagSpecification.1.Tag.2.Value=platform&BootMode=uefi'

export const DESCRIBE_FORM = 'Action=DescribeImportImageTasks&Version=2016-11-15'

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

/** A canned ImportImage response: an active task with one disk and the request's two tags. */
export const IMPORT_IMAGE_RESPONSE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<ImportImageResponse xmlns="${NS}">
    <requestId>5e0e3c4f-0000-4000-8000-000000001111</requestId>
    <architecture>x86_64</architecture>
    <description>web server image, nightly build</description>
    <importTaskId>import-ami-0123456789abcdef0</importTaskId>
    <licenseType>BYOL</licenseType>
    <platform>Linux</platform>
    <progress>1</progress>
    <snapshotDetailSet>
        <item>
            <description>root disk</description>
            <diskImageSize>0.0</diskImageSize>
            <format>VMDK</format>
            <userBucket>
                <s3Bucket>bench-images</s3Bucket>
                <s3Key>nightly/web-server-2024-06-01.vmdk</s3Key>
            </userBucket>
        </item>
    </snapshotDetailSet>
    <status>active</status>
    <statusMessage>pending</statusMessage>
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
