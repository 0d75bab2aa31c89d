/**
 * Linux PCI display controllers from sysfs: finds the integrated GPU of a hybrid laptop
 * without calling systeminformation's graphics() (which runs nvidia-smi synchronously).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { normalizeBusId } from './values.ts';

export type PciDisplay = { busId: string; vendorId: string; deviceId: string; bootVga: boolean };

async function read(file: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return null;
  }
}

/** Display controllers (PCI class 0x03xxxx) under `root` (default /sys/bus/pci/devices). */
export async function listPciDisplays(root = '/sys/bus/pci/devices'): Promise<PciDisplay[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  const out: PciDisplay[] = [];
  for (const name of entries) {
    const dir = path.join(root, name);
    const cls = await read(path.join(dir, 'class'));
    if (!cls || !cls.toLowerCase().startsWith('0x03')) continue;
    const busId = normalizeBusId(name);
    if (!busId) continue;
    out.push({
      busId,
      vendorId: (await read(path.join(dir, 'vendor')))?.replace(/^0x/, '').toLowerCase() ?? '',
      deviceId: (await read(path.join(dir, 'device')))?.replace(/^0x/, '').toLowerCase() ?? '',
      bootVga: (await read(path.join(dir, 'boot_vga'))) === '1',
    });
  }
  return out;
}

/** Vendor from a PCI vendor id. */
export function vendorFromPciId(id: string): 'nvidia' | 'amd' | 'intel' | 'other' {
  switch (id.toLowerCase()) {
    case '10de':
      return 'nvidia';
    case '1002':
    case '1022':
      return 'amd';
    case '8086':
      return 'intel';
    default:
      return 'other';
  }
}
