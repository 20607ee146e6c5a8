package ui

// referralAcademyRoutes registers the pages for outcome letters, onboarding into a cohort, the Supported Transfer placement.
func (s *Server) referralAcademyRoutes(pages *Routes) {
}
