//! USB printers (`usb://VID:PID`) through Linux's printer class driver (usblp): it gives each USB printer a
//! node `/dev/usb/lpN` that takes the job's bytes and, for the bidirectional printers thermal printers are,
//! returns what the printer answers (the DLE EOT status bytes). The node of a printer is found by its USB
//! vendor and product ids in sysfs, so it does not matter which `lpN` it got at boot.

use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where the kernel describes devices, and where their nodes are.
pub const SYSFS: &str = "/sys";
pub const DEV: &str = "/dev";

#[derive(Debug, thiserror::Error)]
pub enum UsbError {
    #[error("no USB printer {vendor:04x}:{product:04x} is attached (looked in {looked}/class/usbmisc); check the cable and power, `lsusb` lists what is attached, and the printer class driver (usblp) must be loaded")]
    NotFound {
        vendor: u16,
        product: u16,
        looked: String,
    },
}

/// The node of the first printer (by `lpN` number) with these ids.
pub fn locate(sys: &Path, dev: &Path, vendor: u16, product: u16) -> Result<PathBuf, UsbError> {
    let class = sys.join("class/usbmisc");
    let mut found: Vec<(u32, String)> = std::fs::read_dir(&class)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let number: u32 = name.strip_prefix("lp")?.parse().ok()?;
            // `device` is the printer's USB interface; its parent is the USB device with the ids.
            let usb_device = entry.path().join("device/..");
            let id = |file: &str| {
                std::fs::read_to_string(usb_device.join(file))
                    .ok()
                    .and_then(|hex| u16::from_str_radix(hex.trim(), 16).ok())
            };
            (id("idVendor")? == vendor && id("idProduct")? == product).then_some((number, name))
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .next()
        .map(|(_, name)| dev.join("usb").join(name))
        .ok_or_else(|| UsbError::NotFound {
            vendor,
            product,
            looked: sys.display().to_string(),
        })
}

/// An open printer node. The node is opened non-blocking (a printer that never answers must not hang the
/// terminal), and reads and writes wait here, up to their timeouts, for the printer to be ready.
pub struct UsbPort {
    file: std::fs::File,
    read_timeout: Duration,
    write_timeout: Duration,
}

impl UsbPort {
    pub fn open(
        path: &Path,
        read_timeout: Duration,
        write_timeout: Duration,
    ) -> std::io::Result<UsbPort> {
        const O_NONBLOCK: i32 = 0o4000;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(O_NONBLOCK)
            .open(path)?;
        Ok(UsbPort {
            file,
            read_timeout,
            write_timeout,
        })
    }
}

/// Calls `attempt` until it is not "would block", or `timeout` passes (then: timed out).
fn patiently<T>(
    timeout: Duration,
    mut attempt: impl FnMut() -> std::io::Result<T>,
) -> std::io::Result<T> {
    let deadline = Instant::now() + timeout;
    loop {
        match attempt() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    return Err(std::io::ErrorKind::TimedOut.into());
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

impl Read for UsbPort {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let file = &mut self.file;
        patiently(self.read_timeout, || match file.read(buf) {
            // usblp says 0 while the printer has nothing to send: wait like a serial port would.
            Ok(0) => Err(std::io::ErrorKind::WouldBlock.into()),
            other => other,
        })
    }
}

impl Write for UsbPort {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let file = &mut self.file;
        patiently(self.write_timeout, || file.write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sysfs tree as the kernel lays it out for two USB printers and a USB-serial adapter.
    fn fake_sysfs(root: &Path) {
        let device = |bus: &str, vendor: &str, product: &str| {
            let dir = root.join("devices/pci0000:00/usb1").join(bus);
            std::fs::create_dir_all(dir.join(format!("{bus}:1.0"))).unwrap();
            std::fs::write(dir.join("idVendor"), format!("{vendor}\n")).unwrap();
            std::fs::write(dir.join("idProduct"), format!("{product}\n")).unwrap();
            dir.join(format!("{bus}:1.0"))
        };
        let class = root.join("class/usbmisc");
        std::fs::create_dir_all(&class).unwrap();
        for (lp, bus, vendor, product) in [
            ("lp1", "1-2", "0483", "5720"),
            ("lp0", "1-1", "0416", "5011"),
            ("hiddev0", "1-3", "0483", "5720"),
        ] {
            let interface = device(bus, vendor, product);
            std::fs::create_dir_all(class.join(lp)).unwrap();
            std::os::unix::fs::symlink(interface, class.join(lp).join("device")).unwrap();
        }
    }

    #[test]
    fn a_printer_is_found_by_its_ids_whatever_lp_number_it_got() {
        let sys = tempfile::tempdir().unwrap();
        fake_sysfs(sys.path());
        let dev = Path::new("/dev");
        assert_eq!(
            locate(sys.path(), dev, 0x0483, 0x5720).unwrap(),
            PathBuf::from("/dev/usb/lp1"),
            "hiddev0 has the same ids but is not a printer node"
        );
        assert_eq!(
            locate(sys.path(), dev, 0x0416, 0x5011).unwrap(),
            PathBuf::from("/dev/usb/lp0")
        );
        let missing = locate(sys.path(), dev, 0x1234, 0x5678).unwrap_err();
        assert!(
            missing.to_string().contains("no USB printer 1234:5678"),
            "{missing}"
        );
    }

    /// The whole USB path but the kernel driver: the node found by its ids is a pty on which the virtual
    /// printer answers as a USB printer does through usblp (job bytes in, status bytes out).
    #[test]
    fn a_job_goes_to_the_usb_node_found_by_ids_and_its_status_comes_back() {
        use crate::device::printer::status::Paper;
        use crate::device::printer::transport::{print_on, Connection, JobError, JobOutcome};
        use crate::device::printer::virtual_printer::VirtualPrinter;

        let printer = VirtualPrinter::pty(None).unwrap();
        let uri = printer.uri();
        let pty = uri
            .strip_prefix("serial://")
            .and_then(|rest| rest.split('?').next())
            .unwrap();
        let sys = tempfile::tempdir().unwrap();
        fake_sysfs(sys.path());
        let dev = tempfile::tempdir().unwrap();
        std::fs::create_dir(dev.path().join("usb")).unwrap();
        std::os::unix::fs::symlink(pty, dev.path().join("usb/lp1")).unwrap();

        let open = || Connection::usb(sys.path(), dev.path(), 0x0483, 0x5720).unwrap();
        let state = open().status().unwrap().unwrap();
        assert!(state.can_print(), "{state}");
        let bytes = b"\x1b@USB job\n\x1dV\x41\x00".to_vec();
        assert_eq!(
            print_on(open(), &bytes, || Ok(())).unwrap(),
            JobOutcome::Printed
        );
        let jobs = printer.wait_for_jobs(1, Duration::from_secs(5));
        assert_eq!(jobs[0].lines, vec!["USB job"]);

        printer.command("paper out").unwrap();
        let refused = print_on(open(), &bytes, || Ok(())).unwrap_err().0;
        assert!(
            matches!(refused, JobError::Refused(state) if state.paper == Paper::Out),
            "{refused}"
        );
    }
}
