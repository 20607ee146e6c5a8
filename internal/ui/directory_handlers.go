package ui

import "net/http"

// Placeholders until the directory handlers are written; routes.go already declares their routes.

func (s *Server) directorySearch(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) programmeShow(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
func (s *Server) providerShow(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
func (s *Server) programmeNew(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
func (s *Server) programmeCreate(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) programmeEdit(w http.ResponseWriter, r *http.Request)   { s.notFound(w, r) }
func (s *Server) programmeUpdate(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) programmeRetire(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) providerNew(w http.ResponseWriter, r *http.Request)     { s.notFound(w, r) }
func (s *Server) providerCreate(w http.ResponseWriter, r *http.Request)  { s.notFound(w, r) }
func (s *Server) providerEdit(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
func (s *Server) providerUpdate(w http.ResponseWriter, r *http.Request)  { s.notFound(w, r) }
func (s *Server) providerRetire(w http.ResponseWriter, r *http.Request)  { s.notFound(w, r) }
