//! Every size and colour on screen, in one place. Sizes are physical: type by cap height in millimetres and
//! touch targets in millimetres, turned into pixels from the configured screen's size and resolution.
//! Elder mode (大字版) makes type and targets larger and contrast higher.

use iced::widget::{button, container};
use iced::{Background, Border, Color, Shadow, Size, Theme};

/// Cap height of Noto Sans CJK as a fraction of its em size.
const CAP_HEIGHT_EM: f32 = 0.733;

/// How the terminal looks right now: screen density, orientation and elder mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub px_per_mm: f32,
    pub elder: bool,
    pub viewport: Size,
}

/// The colours of one mode. Normal mode is a calm government blue; elder mode is black on white with a
/// deep blue and yellow-free accents, every pair at least 7:1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colors {
    pub background: Color,
    pub surface: Color,
    pub text: Color,
    pub muted: Color,
    pub primary: Color,
    pub on_primary: Color,
    pub border: Color,
    pub disabled_surface: Color,
    pub disabled_text: Color,
    pub accent: Color,
    pub scrim: Color,
}

const fn rgb(hex: u32) -> Color {
    Color::from_rgb8((hex >> 16) as u8, (hex >> 8) as u8, hex as u8)
}

const NORMAL: Colors = Colors {
    background: rgb(0xEEF2F7),
    surface: rgb(0xFFFFFF),
    text: rgb(0x1B2430),
    muted: rgb(0x4A5566),
    primary: rgb(0x1B5FB8),
    on_primary: rgb(0xFFFFFF),
    border: rgb(0xC5CEDA),
    disabled_surface: rgb(0xE3E7ED),
    disabled_text: rgb(0x545E6C),
    accent: rgb(0xB3261E),
    scrim: Color::from_rgba(0.05, 0.08, 0.12, 0.72),
};

const ELDER: Colors = Colors {
    background: rgb(0xFFFFFF),
    surface: rgb(0xFFFFFF),
    text: rgb(0x000000),
    muted: rgb(0x1F1F1F),
    primary: rgb(0x0B3D91),
    on_primary: rgb(0xFFFFFF),
    border: rgb(0x000000),
    disabled_surface: rgb(0xE6E6E6),
    disabled_text: rgb(0x333333),
    accent: rgb(0x9A0007),
    scrim: Color::from_rgba(0.0, 0.0, 0.0, 0.85),
};

impl Look {
    pub fn new(px_per_mm: f32, elder: bool, viewport: Size) -> Look {
        Look {
            px_per_mm,
            elder,
            viewport,
        }
    }

    pub fn portrait(&self) -> bool {
        self.viewport.height >= self.viewport.width
    }

    pub fn mm(&self, mm: f32) -> f32 {
        (mm * self.px_per_mm).round()
    }

    fn pick(&self, normal: f32, elder: f32) -> f32 {
        if self.elder {
            elder
        } else {
            normal
        }
    }

    /// Font size in pixels for a cap height in millimetres.
    fn type_mm(&self, cap_mm: f32) -> f32 {
        (cap_mm * self.px_per_mm / CAP_HEIGHT_EM).round()
    }

    /// Secondary text: departments, hints.
    pub fn text_small(&self) -> f32 {
        self.type_mm(self.pick(4.0, 5.5))
    }

    /// Body text, read at arm's length.
    pub fn text_body(&self) -> f32 {
        self.type_mm(self.pick(5.0, 7.0))
    }

    /// Headings and tile titles.
    pub fn text_title(&self) -> f32 {
        self.type_mm(self.pick(7.5, 10.0))
    }

    /// Feature tile titles on the home screen.
    pub fn text_feature(&self) -> f32 {
        self.type_mm(self.pick(9.5, 12.0))
    }

    /// The largest text: the attract screen's call to action, the clock.
    pub fn text_huge(&self) -> f32 {
        self.type_mm(self.pick(14.0, 16.0))
    }

    /// The smallest a touch target may be on either side.
    pub fn target(&self) -> f32 {
        self.mm(self.pick(12.7, 19.0))
    }

    /// Height of ordinary buttons (bars, lists).
    pub fn button_height(&self) -> f32 {
        self.mm(self.pick(18.0, 24.0)).max(self.target())
    }

    /// The smallest gap between two targets.
    pub fn gap(&self) -> f32 {
        self.mm(self.pick(3.0, 5.0))
    }

    /// Padding inside cards and at the screen edge.
    pub fn pad(&self) -> f32 {
        self.mm(self.pick(6.0, 7.0))
    }

    // The named sizes below are what screens use; each is one of the measures above, scaled for one role.

    /// Between the lines of one item (a service's name and its department).
    pub fn gap_line(&self) -> f32 {
        self.gap() / 3.0
    }

    /// Between the rows of a list.
    pub fn gap_row(&self) -> f32 {
        self.gap() / 2.0
    }

    /// Between the parts of a screen (a heading and what it heads).
    pub fn gap_section(&self) -> f32 {
        self.gap() * 1.5
    }

    /// Between buttons side by side, and between the blocks of a screen.
    pub fn gap_block(&self) -> f32 {
        self.gap() * 2.0
    }

    /// Between settings in one row that must not be read as one.
    pub fn gap_group(&self) -> f32 {
        self.gap() * 3.0
    }

    /// Left and right inside a bar button or a tile.
    pub fn pad_button(&self) -> f32 {
        self.pad() / 2.0
    }

    /// Inside a card within a screen, and at an action button's sides.
    pub fn pad_card(&self) -> f32 {
        self.pad() / 1.5
    }

    /// Inside a dialog over the screen (the countdown, remote help).
    pub fn pad_dialog(&self) -> f32 {
        self.pad() * 1.5
    }

    /// The width inside the screen's padding.
    pub fn content_width(&self) -> f32 {
        self.viewport.width - self.pad() * 2.0
    }

    /// The width inside a card inside the screen's padding (the print preview).
    pub fn card_content_width(&self) -> f32 {
        self.viewport.width - self.pad() * 4.0
    }

    /// A list row with a title and a line under it.
    pub fn row_height(&self) -> f32 {
        self.button_height() * 1.3
    }

    /// A theme's tile in the guide (a title and examples).
    pub fn tile_height(&self) -> f32 {
        self.button_height() * 2.0
    }

    /// A key of the PIN pad.
    pub fn key_width(&self) -> f32 {
        self.button_height() * 2.4
    }

    /// An icon inside a row or tile.
    pub fn icon_size(&self) -> f32 {
        self.button_height() * 0.8
    }

    /// A stepper's value between its buttons.
    pub fn value_width(&self) -> f32 {
        self.target() * 1.5
    }

    /// The log's lines on the diagnostics tab.
    pub fn text_log(&self) -> f32 {
        self.text_small() * 0.8
    }

    /// The seconds left on the idle countdown.
    pub fn text_countdown(&self) -> f32 {
        self.text_huge() * 1.5
    }

    /// The clock on the start screen.
    pub fn text_clock(&self) -> f32 {
        self.text_huge() * 2.0
    }

    /// The queue number on a ticket.
    pub fn text_ticket(&self) -> f32 {
        self.text_huge() * 2.2
    }

    pub fn radius(&self) -> f32 {
        self.mm(2.0)
    }

    pub fn border_width(&self) -> f32 {
        self.mm(self.pick(0.4, 0.8)).max(1.0)
    }

    pub fn colors(&self) -> Colors {
        if self.elder {
            ELDER
        } else {
            NORMAL
        }
    }

    /// The iced theme for default widget styling (scrollbars, plain text); built once per mode, since iced
    /// asks for it every frame.
    pub fn iced_theme(&self) -> Theme {
        static THEMES: std::sync::OnceLock<[Theme; 2]> = std::sync::OnceLock::new();
        let themes = THEMES.get_or_init(|| {
            [("Kiosk", NORMAL), ("Kiosk elder", ELDER)].map(|(name, c)| {
                Theme::custom(
                    name,
                    iced::theme::Palette {
                        background: c.background,
                        text: c.text,
                        primary: c.primary,
                        success: rgb(0x1E7B34),
                        warning: rgb(0x8A5A00),
                        danger: c.accent,
                    },
                )
            })
        });
        themes[usize::from(self.elder)].clone()
    }

    fn border(&self, color: Color) -> Border {
        Border {
            color,
            width: self.border_width(),
            radius: self.radius().into(),
        }
    }

    /// Big feature tiles and list rows: a surface with a border; greyed when disabled.
    pub fn tile(&self) -> impl Fn(&Theme, button::Status) -> button::Style + 'static {
        let c = self.colors();
        let border = self.border(c.border);
        let pressed = self.border(c.primary);
        move |_, status| match status {
            button::Status::Disabled => button::Style {
                background: Some(Background::Color(c.disabled_surface)),
                text_color: c.disabled_text,
                border,
                shadow: Shadow::default(),
                snap: true,
            },
            button::Status::Pressed => button::Style {
                background: Some(Background::Color(c.disabled_surface)),
                text_color: c.text,
                border: pressed,
                shadow: Shadow::default(),
                snap: true,
            },
            _ => button::Style {
                background: Some(Background::Color(c.surface)),
                text_color: c.text,
                border,
                shadow: Shadow::default(),
                snap: true,
            },
        }
    }

    /// The one action a screen wants most.
    pub fn primary(&self) -> impl Fn(&Theme, button::Status) -> button::Style + 'static {
        let c = self.colors();
        let border = self.border(c.primary);
        move |_, status| button::Style {
            background: Some(Background::Color(match status {
                button::Status::Pressed => c.text,
                button::Status::Disabled => c.disabled_surface,
                _ => c.primary,
            })),
            text_color: if status == button::Status::Disabled {
                c.disabled_text
            } else {
                c.on_primary
            },
            border,
            shadow: Shadow::default(),
            snap: true,
        }
    }

    /// `primary` when `strong`, else `tile`: one button that stands out in one mode and not the other.
    pub fn primary_if(
        &self,
        strong: bool,
    ) -> impl Fn(&Theme, button::Status) -> button::Style + 'static {
        let (primary, tile) = (self.primary(), self.tile());
        move |theme, status| {
            if strong {
                primary(theme, status)
            } else {
                tile(theme, status)
            }
        }
    }

    /// A surface: cards, the search box.
    pub fn card(&self) -> impl Fn(&Theme) -> container::Style + 'static {
        let c = self.colors();
        let border = self.border(c.border);
        move |_| container::Style {
            text_color: Some(c.text),
            background: Some(Background::Color(c.surface)),
            border,
            shadow: Shadow::default(),
            snap: true,
        }
    }

    /// The screen behind everything.
    pub fn screen(&self) -> impl Fn(&Theme) -> container::Style + 'static {
        let c = self.colors();
        move |_| container::Style {
            text_color: Some(c.text),
            background: Some(Background::Color(c.background)),
            ..container::Style::default()
        }
    }

    /// The top and bottom bars.
    pub fn bar(&self) -> impl Fn(&Theme) -> container::Style + 'static {
        let c = self.colors();
        move |_| container::Style {
            text_color: Some(c.on_primary),
            background: Some(Background::Color(c.primary)),
            ..container::Style::default()
        }
    }

    /// The strip that shows while staff help remotely: the accent colour, so it is never mistaken for the
    /// terminal's own bars (and its words say who is there).
    pub fn banner(&self) -> impl Fn(&Theme) -> container::Style + 'static {
        let c = self.colors();
        move |_| container::Style {
            text_color: Some(c.on_primary),
            background: Some(Background::Color(c.accent)),
            ..container::Style::default()
        }
    }

    /// The ring around where staff point: a thick accent border, nothing filled.
    pub fn pointer(&self) -> impl Fn(&Theme) -> container::Style + 'static {
        let c = self.colors();
        let border = Border {
            color: c.accent,
            width: self.mm(1.5),
            radius: self.radius().into(),
        };
        move |_| container::Style {
            border,
            ..container::Style::default()
        }
    }

    /// The dimmed layer behind a dialog.
    pub fn scrim(&self) -> impl Fn(&Theme) -> container::Style + 'static {
        let c = self.colors();
        move |_| container::Style {
            background: Some(Background::Color(c.scrim)),
            ..container::Style::default()
        }
    }

    /// A small label that marks something (本机可办).
    pub fn badge(&self) -> impl Fn(&Theme) -> container::Style + 'static {
        let c = self.colors();
        let border = Border {
            color: c.primary,
            width: self.border_width(),
            radius: self.radius().into(),
        };
        move |_| container::Style {
            text_color: Some(c.primary),
            background: Some(Background::Color(c.surface)),
            border,
            ..container::Style::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(elder: bool) -> Look {
        // A 27-inch portrait panel: 1080 px over 336 mm.
        Look::new(1080.0 / 336.0, elder, Size::new(1080.0, 1920.0))
    }

    #[test]
    fn touch_targets_meet_the_physical_minimum() {
        assert!(look(false).target() / look(false).px_per_mm >= 12.6);
        assert!(look(true).target() / look(true).px_per_mm >= 18.9);
        assert!(look(false).gap() / look(false).px_per_mm >= 2.54);
    }

    #[test]
    fn elder_mode_is_larger_everywhere() {
        let (n, e) = (look(false), look(true));
        assert!(e.text_body() >= n.text_body() * 1.4);
        assert!(e.text_title() > n.text_title());
        assert!(e.target() > n.target());
        assert!(e.button_height() > n.button_height());
    }

    #[test]
    fn same_millimetres_on_a_denser_screen_take_more_pixels() {
        let small = Look::new(1080.0 / 268.0, false, Size::new(1080.0, 1920.0));
        assert!(small.text_body() > look(false).text_body());
    }

    fn luminance(c: Color) -> f32 {
        let f = |v: f32| {
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b)
    }

    fn contrast(a: Color, b: Color) -> f32 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn text_contrast_meets_4_5_to_1_and_elder_mode_7_to_1() {
        for (colors, min) in [(NORMAL, 4.5), (ELDER, 7.0)] {
            for (fg, bg) in [
                (colors.text, colors.background),
                (colors.text, colors.surface),
                (colors.muted, colors.surface),
                (colors.on_primary, colors.primary),
                (colors.disabled_text, colors.disabled_surface),
                (colors.primary, colors.surface),
            ] {
                assert!(
                    contrast(fg, bg) >= min,
                    "{fg:?} on {bg:?}: {}",
                    contrast(fg, bg)
                );
            }
        }
    }
}
