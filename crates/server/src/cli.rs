//! The command line: `serve`, and `admin` for county offices at the server.

mod office;

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use fieldledger_model::area::AreaLevel;
use fieldledger_model::wire::Role;
use fieldledger_server::admin;
use fieldledger_server::config::Layer;
use fieldledger_server::demo::{self, CountySpec};
use fieldledger_server::secrets::Secret;
use fieldledger_server::store::Store;
use fieldledger_server::store::people::{NewUser, office};
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(
    name = "fieldledger-server",
    version,
    about = "产业指导员台账 companion API server"
)]
pub struct Cli {
    /// A TOML configuration file; environment variables (FIELDLEDGER_*) and
    /// flags override it.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API.
    Serve(ServeArgs),
    /// Manage people and places.
    Admin {
        #[command(flatten)]
        store: StoreArgs,
        #[command(subcommand)]
        command: AdminCommand,
    },
}

/// Where the data lives.
#[derive(Debug, Args)]
pub struct StoreArgs {
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// postgres://user:password@host/db; SQLite in the data dir when absent.
    #[arg(long)]
    pub database_url: Option<String>,
    #[arg(long)]
    pub postgres_schema: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on, e.g. 0.0.0.0:8443.
    #[arg(long)]
    pub listen: Option<std::net::SocketAddr>,
    /// Certificate chain, PEM.
    #[arg(long)]
    pub cert: Option<PathBuf>,
    /// Private key, PEM.
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// Use a self-signed certificate for localhost, kept in the data dir.
    #[arg(long)]
    pub dev: bool,
    /// Plain HTTP; refused unless listening on a loopback address.
    #[arg(long)]
    pub insecure_http: bool,
    /// Largest request body in bytes.
    #[arg(long)]
    pub push_limit_bytes: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Areas: county, township, village, group.
    Area {
        #[command(subcommand)]
        command: AreaCommand,
    },
    /// The instructor roster.
    Instructor {
        #[command(subcommand)]
        command: InstructorCommand,
    },
    /// Township liaisons.
    Liaison {
        #[command(subcommand)]
        command: PersonCommand,
    },
    /// County office staff.
    CountyStaff {
        #[command(subcommand)]
        command: PersonCommand,
    },
    /// Households and their instructors.
    Household {
        #[command(subcommand)]
        command: HouseholdCommand,
    },
    /// One-time enrollment codes.
    EnrollCode {
        #[command(subcommand)]
        command: CodeCommand,
    },
    /// Device tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Write an office table (Attachments 2 to 5) as XLSX or CSV.
    Export(office::ExportArgs),
    /// Import households or instructors from XLSX or CSV, whole or not at all.
    Import(office::ImportArgs),
    /// Check the staffing rule in a county.
    Coverage {
        #[arg(long)]
        county: Uuid,
    },
    /// Draw a reproducible spot-check sample and write its list.
    SpotCheck(office::SpotCheckArgs),
    /// Seed a demo county and print enrollment codes for its people.
    Demo {
        #[arg(long, default_value_t = 3)]
        townships: usize,
        #[arg(long, default_value_t = 2)]
        instructors_per_township: usize,
        #[arg(long, default_value_t = 5)]
        households_per_instructor: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum AreaCommand {
    /// Set a village's number of main industries (主导产业) for the
    /// staffing rule; without --count it becomes unknown.
    SetIndustries {
        #[arg(long)]
        village: Uuid,
        #[arg(long)]
        count: Option<u32>,
    },
    Add {
        #[arg(long, value_parser = parse_level)]
        level: AreaLevel,
        #[arg(long)]
        name: String,
        /// The enclosing area; none for a county.
        #[arg(long)]
        parent: Option<Uuid>,
    },
}

#[derive(Debug, Subcommand)]
pub enum InstructorCommand {
    /// Add a roster entry and an account for it.
    Add {
        #[arg(long)]
        county: Uuid,
        #[arg(long)]
        name: String,
        #[arg(long)]
        mobile: String,
        #[arg(long)]
        township: Option<Uuid>,
        #[arg(long, default_value = "")]
        employer: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    Add {
        #[arg(long)]
        name: String,
        /// The liaison's township, or the staff member's county.
        #[arg(long)]
        area: Uuid,
    },
}

#[derive(Debug, Subcommand)]
pub enum HouseholdCommand {
    Add {
        #[arg(long)]
        village: Uuid,
        #[arg(long)]
        head_name: String,
        #[arg(long)]
        id_number: String,
        #[arg(long)]
        instructor: Option<Uuid>,
    },
    Assign {
        #[arg(long)]
        household: Uuid,
        /// The instructor's roster id.
        #[arg(long)]
        instructor: Uuid,
    },
}

#[derive(Debug, Subcommand)]
pub enum CodeCommand {
    New {
        #[arg(long)]
        user: Uuid,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    Revoke {
        #[arg(long, conflicts_with = "user", required_unless_present = "user")]
        device: Option<Uuid>,
        #[arg(long)]
        user: Option<Uuid>,
    },
}

fn parse_level(text: &str) -> Result<AreaLevel, String> {
    match text {
        "county" => Ok(AreaLevel::County),
        "township" => Ok(AreaLevel::Township),
        "village" => Ok(AreaLevel::Village),
        "group" => Ok(AreaLevel::Group),
        _ => Err("expected county, township, village or group".into()),
    }
}

impl StoreArgs {
    pub fn layer(&self) -> Layer {
        Layer {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone().map(Secret::new),
            postgres_schema: self.postgres_schema.clone(),
            ..Layer::default()
        }
    }
}

impl ServeArgs {
    pub fn layer(&self) -> Layer {
        Layer {
            listen: self.listen,
            tls_cert: self.cert.clone(),
            tls_key: self.key.clone(),
            dev: self.dev.then_some(true),
            insecure_http: self.insecure_http.then_some(true),
            push_limit_bytes: self.push_limit_bytes,
            ..self.store.layer()
        }
    }
}

/// Runs an admin command against `store`, printing what it made.
pub async fn admin(store: &Store, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Area {
            command:
                AreaCommand::Add {
                    level,
                    name,
                    parent,
                },
        } => {
            let county = match parent {
                Some(p) => {
                    store
                        .area(p)
                        .await?
                        .context("no such parent area")?
                        .county_id
                }
                None => Uuid::now_v7(),
            };
            let area = add_area(store, county, level, &name, parent).await?;
            println!("{} {}", area.id, area.name);
        }
        AdminCommand::Area {
            command: AreaCommand::SetIndustries { village, count },
        } => office::set_industries(store, village, count).await?,
        AdminCommand::Export(args) => office::export(store, args).await?,
        AdminCommand::Import(args) => office::import(store, args).await?,
        AdminCommand::Coverage { county } => office::coverage(store, county).await?,
        AdminCommand::SpotCheck(args) => office::spot_check(store, args).await?,
        AdminCommand::Instructor {
            command:
                InstructorCommand::Add {
                    county,
                    name,
                    mobile,
                    township,
                    employer,
                },
        } => {
            let county_row = store.area(county).await?.context("no such county")?;
            let mut entry = demo::roster_entry(county, &county_row.name, &name, 0);
            (entry.mobile, entry.employer) = (mobile, employer);
            let entry = admin::add_instructor(store, &office(county), entry, township).await?;
            let user = NewUser {
                id: Uuid::now_v7(),
                name,
                role: Role::Instructor,
                area_id: county,
                instructor_id: Some(entry.id),
            };
            let user = admin::add_user(store, user).await?;
            println!("instructor {} user {}", entry.id, user.id);
        }
        AdminCommand::Liaison {
            command: PersonCommand::Add { name, area },
        } => person(store, name, Role::Liaison, area).await?,
        AdminCommand::CountyStaff {
            command: PersonCommand::Add { name, area },
        } => person(store, name, Role::County, area).await?,
        AdminCommand::Household { command } => household(store, command).await?,
        AdminCommand::EnrollCode {
            command: CodeCommand::New { user },
        } => {
            println!("{}", admin::new_enroll_code(store, user).await?);
        }
        AdminCommand::Token {
            command: TokenCommand::Revoke { device, user },
        } => {
            let revoked = match (device, user) {
                (Some(device), _) => u64::from(store.revoke_device(device).await?),
                (None, Some(user)) => store.revoke_user(user).await?,
                (None, None) => bail!("give --device or --user"),
            };
            println!("revoked {revoked} token(s)");
        }
        AdminCommand::Demo {
            townships,
            instructors_per_township,
            households_per_instructor,
        } => {
            let spec = CountySpec {
                townships,
                instructors_per_township,
                households_per_instructor,
                ..CountySpec::default()
            };
            print_demo(store, &demo::seed_county(store, &spec).await?).await?;
        }
    }

    Ok(())
}

async fn add_area(
    store: &Store,
    county: Uuid,
    level: AreaLevel,
    name: &str,
    parent: Option<Uuid>,
) -> anyhow::Result<fieldledger_model::area::Area> {
    if level == AreaLevel::County {
        let area = fieldledger_model::area::Area {
            id: county,
            level,
            name: name.into(),
            parent: None,
        };
        let outcome = store
            .admin_put(
                office(county),
                fieldledger_model::wire::Record::Area(area.clone()),
            )
            .await?;
        if let fieldledger_model::wire::Outcome::Rejected { reason, .. } = outcome {
            bail!(reason);
        }
        return Ok(area);
    }

    Ok(admin::add_area(store, &office(county), level, name, parent).await?)
}

async fn person(store: &Store, name: String, role: Role, area: Uuid) -> anyhow::Result<()> {
    let user = admin::add_user(
        store,
        NewUser {
            id: Uuid::now_v7(),
            name,
            role,
            area_id: area,
            instructor_id: None,
        },
    )
    .await?;
    println!("user {}", user.id);

    Ok(())
}

async fn household(store: &Store, command: HouseholdCommand) -> anyhow::Result<()> {
    match command {
        HouseholdCommand::Add {
            village,
            head_name,
            id_number,
            instructor,
        } => {
            let village = store.area(village).await?.context("no such village")?;
            let names = |id: Option<Uuid>| async move {
                match id {
                    Some(id) => store
                        .area(id)
                        .await
                        .ok()
                        .flatten()
                        .map(|a| a.name)
                        .unwrap_or_default(),
                    None => String::new(),
                }
            };
            let (county, township) = (
                names(Some(village.county_id)).await,
                names(village.township_id).await,
            );
            let mut h = fieldledger_server::store::people::household(
                Uuid::nil(),
                &head_name,
                &id_number,
                &village,
                [&county, &township, &village.name],
            );
            h.instructor_id = instructor;
            let h = admin::add_household(store, &office(village.county_id), h).await?;
            println!("household {}", h.id);
        }
        HouseholdCommand::Assign {
            household,
            instructor,
        } => {
            let county = store
                .record_county(household)
                .await?
                .context("no such household")?;
            admin::assign(store, &office(county), household, instructor).await?;
            println!("assigned");
        }
    }

    Ok(())
}

async fn print_demo(store: &Store, county: &demo::SeededCounty) -> anyhow::Result<()> {
    println!("county {} {}", county.county.id, county.county.name);
    println!(
        "county staff {}: code {}",
        county.staff.name,
        admin::new_enroll_code(store, county.staff.id).await?
    );
    for (township, liaison) in county.townships.iter().zip(&county.liaisons) {
        let code = admin::new_enroll_code(store, liaison.id).await?;
        println!(
            "township {} {}: liaison {} code {code}",
            township.id, township.name, liaison.name
        );
    }
    for one in &county.instructors {
        let code = admin::new_enroll_code(store, one.user.id).await?;
        println!(
            "instructor {} ({} households, {} visits): code {code}",
            one.user.name,
            one.households.len(),
            one.visits.len()
        );
    }

    Ok(())
}
