import { NotYet, PageHeader } from '../ui/index.ts';
import { ChipIcon } from '../ui/icons.tsx';

export function DevicesPage() {
  return (
    <>
      <PageHeader title="Devices" description="The GPUs and processors Hearth can put to work on this machine." />
      <NotYet
        icon={<ChipIcon size={28} />}
        capability="Device detection"
        summary="This page will list each GPU Hearth finds, with its memory, driver, temperature and a benchmark score."
        planned={['Detect NVIDIA and AMD GPUs, plus the CPU and memory', 'Show live utilisation, temperature and power', 'Benchmark each device with a real model']}
      />
    </>
  );
}
