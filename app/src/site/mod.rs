//! The whole site: the HTML document (`document`) and the router, which maps every address to
//! its page. The top of the app: it knows every domain's pages; nothing imports it but the
//! server.

#[cfg(feature = "ssr")]
mod document;
#[cfg(feature = "ssr")]
pub use document::{page_policy, shell, Assets};

use crate::accounts::pages::{LoginPage, ProfilePage, RegisterPage};
use crate::accounts::real_name_pages::RealNameChoicePage;
use crate::accounts::recovery_pages::{PasswordPage, PhonePage, ResetPage, SignInCheckPage};
use crate::audit::pages::AuditPage;
use crate::catalog::course_page::{CoursePage, InstitutionPage};
use crate::catalog::directory_pages::{EvaluationOrgsPage, InstitutionsPage};
use crate::catalog::pages::{CoursesPage, HomePage};
use crate::catalog::upload_page::UploadPage;
use crate::certificate::pages::{AssessPage, CertificateChangePage, VerifyPage, WalletPage};
use crate::eligibility::pages::CheckPage;
use crate::enrollment::console_pages::{ConsolePage, RosterPage};
use crate::enrollment::pages::MyEnrollmentsPage;
use crate::groups::pages::GroupReviewPage;
use crate::identity_cases::pages::{IdentityCasesPage, IdentityReportPage};
use crate::inbox::pages::InboxPage;
use crate::privacy::pages::MyDataPage;
use crate::shell::{Layout, NotFound};
use crate::subsidy::pages::{MyClaimsPage, ReviewPage};
use crate::subsidy::payment_pages::{BatchPage, BatchesPage};
use crate::subsidy::recovery_pages::RecoveriesPage;
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/courses") view=CoursesPage ssr=SsrMode::Async />
                    <Route path=path!("/courses/:code") view=CoursePage ssr=SsrMode::Async />
                    <Route path=path!("/institutions/:code") view=InstitutionPage ssr=SsrMode::Async />
                    <Route path=path!("/institutions") view=InstitutionsPage ssr=SsrMode::Async />
                    <Route path=path!("/evaluation-orgs") view=EvaluationOrgsPage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/login/verify") view=SignInCheckPage ssr=SsrMode::Async />
                    <Route path=path!("/reset") view=ResetPage ssr=SsrMode::Async />
                    <Route path=path!("/auth/oidc/link") view=RealNameChoicePage ssr=SsrMode::Async />
                    <Route path=path!("/identity-report") view=IdentityReportPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/identity-cases") view=IdentityCasesPage ssr=SsrMode::Async />
                    <Route path=path!("/me/password") view=PasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/me/phone") view=PhonePage ssr=SsrMode::Async />
                    <Route path=path!("/me") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/me/data") view=MyDataPage ssr=SsrMode::Async />
                    <Route path=path!("/me/enrollments") view=MyEnrollmentsPage ssr=SsrMode::Async />
                    <Route path=path!("/me/inbox") view=InboxPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/classes") view=ConsolePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/classes/:code") view=RosterPage ssr=SsrMode::Async />
                    <Route path=path!("/eligibility") view=CheckPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/catalog") view=UploadPage ssr=SsrMode::Async />
                    <Route path=path!("/me/certificates") view=WalletPage ssr=SsrMode::Async />
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/me/subsidies") view=MyClaimsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/subsidies") view=ReviewPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/assessments") view=AssessPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/groups") view=GroupReviewPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/recoveries") view=RecoveriesPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/payment-batches") view=BatchesPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/payment-batches/:id") view=BatchPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/certificates") view=CertificateChangePage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
